import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileGraph } from './compile.js';
import { buildManifest, writeManifest } from './manifest.js';
import { parseProject } from './parse.js';
import { postgresDialect } from './postgres-dialect.js';
import { generateSyntheticProject } from './synthetic-project.js';

/**
 * `nx run modeling-compiler:bench`: compile time of generated projects. Each size is timed
 * cold (first run in the process for that size) and warm (median of the following runs);
 * "total" is parse + compile + manifest (written to disk).
 */

const SIZES = [100, 500, 1000];
const RUNS = 5;

interface Timing {
  parse: number;
  compile: number;
  manifest: number;
  total: number;
}

function time<T>(run: () => T): [T, number] {
  const start = performance.now();
  const result = run();
  return [result, performance.now() - start];
}

function once(projectDir: string, targetDir: string): Timing {
  const [graph, parse] = time(() => parseProject({ projectDir, env: {} }));
  const [compiled, compile] = time(() => compileGraph(graph, { dialect: postgresDialect, env: {} }));
  const [, manifest] = time(() => writeManifest(targetDir, buildManifest(graph, { dialect: postgresDialect, compiled: compiled.nodes })));
  return { parse, compile, manifest, total: parse + compile + manifest };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const ms = (value: number) => `${value.toFixed(1)} ms`.padStart(10);

const root = mkdtempSync(join(tmpdir(), 'modeling-compiler-bench-'));
try {
  console.log(`modeling-compiler bench: parse + compile (postgres) + manifest; warm = median of ${RUNS} runs\n`);
  console.log(`${'models'.padStart(6)} ${'nodes'.padStart(6)} | ${'cold total'.padStart(10)} | ${'parse'.padStart(10)} ${'compile'.padStart(10)} ${'manifest'.padStart(10)} ${'warm total'.padStart(10)}`);
  console.log('-'.repeat(78));
  for (const size of SIZES) {
    const dir = join(root, `project-${size}`);
    const summary = generateSyntheticProject(dir, size);
    const cold = once(dir, join(dir, 'target'));
    const runs = Array.from({ length: RUNS }, () => once(dir, join(dir, 'target')));
    const nodes = summary.models + summary.tests + summary.sources;
    const pick = (key: keyof Timing) => median(runs.map((r) => r[key]));
    console.log(
      `${String(size).padStart(6)} ${String(nodes).padStart(6)} | ${ms(cold.total)} | ${ms(pick('parse'))} ${ms(pick('compile'))} ${ms(pick('manifest'))} ${ms(pick('total'))}`,
    );
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
