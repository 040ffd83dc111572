import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from './cli.js';
import type { MiniProject } from './__fixtures__/mini-project.js';
import { captureStreams, miniProject } from './__fixtures__/mini-project.js';

let project: MiniProject | undefined;
afterEach(() => project?.remove());

async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const streams = captureStreams();
  const code = await main(args, env, streams.io);
  return { code, out: streams.out(), err: streams.err() };
}

describe('models CLI: usage and configuration (exit 2)', () => {
  it.each([
    [[], 'No command given'],
    [['frobnicate'], "Unknown command 'frobnicate'"],
    [['run', 'extra'], "Unknown command 'run extra'"],
    [['run', '--no-such-flag'], "Unknown option '--no-such-flag'"],
    [['run', '--warehouse', 'postgres'], '--database-url / DATABASE_URL: is required when the warehouse is postgres'],
    [['run', '--warehouse', 'bigquery'], '--bigquery-project / BIGQUERY_PROJECT: is required when the warehouse is bigquery'],
    [['run', '--warehouse', 'oracle'], '--warehouse / SP01_WAREHOUSE: must be pglite, postgres or bigquery'],
    [['run', '--threads', '0'], '--threads / SP01_MODELS_THREADS: must be at least 1'],
    [['run', '--vars', '[1]'], '--vars / SP01_MODELS_VARS: must be a JSON object'],
    [['dry-run', '--max-bytes', 'lots'], '--max-bytes / SP01_MODELS_MAX_BYTES: cannot read "lots" as a byte size'],
    [['run', '--schema', 'bad-name'], '--schema / SP01_MODELS_SCHEMA: must be letters, digits and underscores'],
  ])('%j says %s', async (args, message) => {
    const { code, err } = await cli(args);
    expect(code).toBe(2);
    expect(err).toContain(message);
  });

  it('names the environment variable too', async () => {
    const { code, err } = await cli(['compile'], { SP01_MODELS_THREADS: 'many' });
    expect(code).toBe(2);
    expect(err).toContain('--threads / SP01_MODELS_THREADS: must be a whole number (got "many")');
  });

  it('never prints a database password', async () => {
    const { err } = await cli(['run', '--warehouse', 'postgres', '--database-url', 'mysql://u:hunter2@h/db']);
    expect(err).toContain('--database-url / DATABASE_URL: must be a postgres:// URL');
    expect(err).not.toContain('hunter2');
  });

  it('prints help with exit 0', async () => {
    const { code, out } = await cli(['--help']);
    expect(code).toBe(0);
    expect(out).toContain('-s, --select / SP01_MODELS_SELECT');
    expect(out).toContain('dbt-test / dbt-build');
  });

  it('exits 2 on a compile error, naming file and line', async () => {
    project = miniProject('t_');
    writeFileSync(join(project.projectDir, 'models', 'broken.sql'), "select 1\nfrom {{ ref('no_such_model') }}\n");
    const { code, err } = await cli(['compile', '--project-dir', project.projectDir]);
    expect(code).toBe(2);
    expect(err).toMatch(/Compilation Error: models\/broken\.sql:2: .*no_such_model/);
  });

  it('exits 2 on a bad selector and on a missing project', async () => {
    project = miniProject('t_');
    expect((await cli(['compile', '--project-dir', project.projectDir, '-s', 'state:modified'])).code).toBe(2);
    expect((await cli(['compile', '--project-dir', join(project.root, 'nowhere')])).code).toBe(2);
  });
});

describe('models CLI: compile and docs (no warehouse)', () => {
  it('compiles into target/compiled and writes manifest.json', async () => {
    project = miniProject('t_');
    const { code, out } = await cli(['compile', '--project-dir', project.projectDir, '--target-dir', project.targetDir, '--schema', 'mart']);
    expect(code).toBe(0);
    expect(out).toContain('Found 4 models, 1 seed, 4 data tests, 1 source');
    expect(readFileSync(join(project.targetDir, 'compiled', 'mini', 'models', 'teams.sql'), 'utf8')).toContain('from "mart"."people"');
    expect(existsSync(join(project.targetDir, 'compiled', 'mini', 'models', 'schema.yml', 'unique_teams_team.sql'))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(project.targetDir, 'manifest.json'), 'utf8'));
    expect(manifest.nodes['model.mini.teams'].compiled_code).toContain('"mart"."people"');
  });

  it('prints the SQL when one node is selected, with --vars applied', async () => {
    project = miniProject('t_');
    const { code, out } = await cli(['compile', '--project-dir', project.projectDir, '--target-dir', project.targetDir, '-s', 'enough_people', '--vars', '{"min_people": 3}']);
    expect(code).toBe(0);
    expect(out).toContain("Compiled node 'enough_people' is:");
    expect(out).toContain('where people < 3');
  });

  it('writes the docs site', async () => {
    project = miniProject('t_');
    const { code, out } = await cli(['docs', '--project-dir', project.projectDir, '--target-dir', project.targetDir]);
    expect(code).toBe(0);
    expect(out).toContain('Wrote the docs site');
    expect(readFileSync(join(project.targetDir, 'index.html'), 'utf8')).toContain('teams');
  });
});
