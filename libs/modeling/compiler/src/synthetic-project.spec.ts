import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileGraph } from './compile.js';
import { buildManifest } from './manifest.js';
import { parseProject } from './parse.js';
import { postgresDialect } from './postgres-dialect.js';
import { selectNodes } from './selection.js';
import { generateSyntheticProject } from './synthetic-project.js';

const root = mkdtempSync(join(tmpdir(), 'synthetic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('generateSyntheticProject', () => {
  it('writes a project that parses, compiles and selects', () => {
    const summary = generateSyntheticProject(join(root, 'p'), 120);
    const graph = parseProject({ projectDir: summary.dir, env: {} });
    const models = [...graph.nodes.values()].filter((n) => n.resource_type === 'model');
    expect(models).toHaveLength(120);
    expect(graph.sources.size).toBe(summary.sources);
    expect(graph.nodes.size).toBe(summary.models + summary.tests);
    expect(models.some((m) => m.config.materialized === 'ephemeral')).toBe(true);
    expect(models.some((m) => m.config.materialized === 'incremental')).toBe(true);
    const compiled = compileGraph(graph, { dialect: postgresDialect, env: {} });
    expect(compiled.nodes.size).toBe(graph.nodes.size);
    const manifest = buildManifest(graph, { dialect: postgresDialect, compiled: compiled.nodes });
    expect(Object.keys(manifest.nodes)).toHaveLength(graph.nodes.size);
    expect(selectNodes(graph, { select: ['tag:staging'], indirectSelection: 'empty' }).size).toBe(24);
  });

  it('is deterministic for a seed', () => {
    const a = parseProject({ projectDir: generateSyntheticProject(join(root, 'a'), 40, { seed: 7 }).dir, env: {} });
    const b = parseProject({ projectDir: generateSyntheticProject(join(root, 'b'), 40, { seed: 7 }).dir, env: {} });
    expect([...a.parent_map]).toEqual([...b.parent_map]);
  });
});
