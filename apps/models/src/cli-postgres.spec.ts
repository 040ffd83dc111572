import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPostgresAdapter } from '@sp01/modeling-adapter-postgres';
import type { WarehouseAdapter } from '@sp01/modeling-executor';
import { describePostgres, freshSchemaPrefix } from '@sp01/vitest-preset/postgres';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { main } from './cli.js';
import type { MiniProject } from './__fixtures__/mini-project.js';
import { captureStreams, miniProject } from './__fixtures__/mini-project.js';

describePostgres('models CLI on PostgreSQL', (url) => {
  let admin: WarehouseAdapter;
  let project: MiniProject;
  let schema: string;

  beforeAll(() => {
    admin = createPostgresAdapter({ url, poolSize: 1 });
  });
  afterAll(() => admin.close());
  beforeEach(async () => {
    const prefix = freshSchemaPrefix();
    project = miniProject(prefix);
    schema = `${prefix}mart`;
    await admin.execute(`create schema "${project.raw}"; create table "${project.raw}".events (id int, occurred_at timestamp, loaded_at timestamptz); insert into "${project.raw}".events values (1, '2024-01-01 10:00', now())`);
  });
  afterEach(async () => {
    await admin.execute(`drop schema if exists "${project.raw}" cascade; drop schema if exists "${schema}" cascade; drop schema if exists "${schema}_dbt_test__audit" cascade`);
    project.remove();
  });

  async function cli(command: string, ...args: string[]) {
    const streams = captureStreams();
    const code = await main(
      [command, '--project-dir', project.projectDir, '--target-dir', project.targetDir, '--warehouse', 'postgres', '--schema', schema, ...args],
      { DATABASE_URL: url },
      streams.io,
    );
    return { code, out: streams.out(), err: streams.err() };
  }

  it('builds (exit 0), writes run_results.json, and exits 1 when an error-severity test fails', async () => {
    const built = await cli('build');
    expect(built.err).toBe('');
    expect(built.code).toBe(0);
    expect(built.out).toMatch(/OK created seed file .*\.people/);
    expect(built.out).toContain('Done. PASS=9 WARN=0 ERROR=0 SKIP=0 TOTAL=9');
    const results = JSON.parse(readFileSync(join(project.targetDir, 'run_results.json'), 'utf8'));
    expect(results.args).toMatchObject({ which: 'build', threads: 4, target: 'dev' });
    expect(results.results).toHaveLength(9);
    expect(JSON.parse(readFileSync(join(project.targetDir, 'manifest.json'), 'utf8')).metadata.adapter_type).toBe('postgres');

    const failed = await cli('test', '-s', 'enough_people', '--vars', '{"min_people": 2}');
    expect(failed.code).toBe(1);
    expect(failed.out).toContain('Got 1 result, configured to fail if != 0');
    expect(failed.out).toContain('Done. PASS=0 WARN=0 ERROR=1 SKIP=0 TOTAL=1');
  });

  it('exits 1 when a model fails and 2 when a config is not supported on the warehouse', async () => {
    expect((await cli('run', '-s', 'team_names')).code).toBe(1);
    const unsupported = await cli('run', '--vars', '{"log_strategy": "insert_overwrite"}');
    expect(unsupported.code).toBe(2);
    expect(unsupported.err).toContain("incremental_strategy 'insert_overwrite' is not supported on postgres");
  });

  it('checks source freshness: exit 0 when fresh, 1 when stale', async () => {
    const fresh = await cli('source-freshness');
    expect(fresh.code).toBe(0);
    expect(fresh.out).toContain('PASS freshness of raw.events');
    await admin.execute(`update "${project.raw}".events set loaded_at = now() - interval '3 hours'`);
    const stale = await cli('source-freshness');
    expect(stale.code).toBe(1);
    expect(stale.out).toContain('ERROR STALE freshness of raw.events');
    expect(JSON.parse(readFileSync(join(project.targetDir, 'sources.json'), 'utf8')).results[0].status).toBe('error');
  });

  it('dry-runs with EXPLAIN (exit 0 when every node plans, 1 when one does not)', async () => {
    const missing = await cli('dry-run', '-s', 'teams', '--indirect-selection', 'empty');
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/ERROR model\.mini\.teams/);
    await cli('seed');
    const planned = await cli('dry-run', '-s', 'teams', '--indirect-selection', 'empty', '--max-bytes', '1GB');
    expect(planned.code).toBe(0);
    expect(planned.out).toMatch(/OK +model\.mini\.teams +cost [\d.]+, ~\d+ rows/);
    expect(planned.out).toContain('this warehouse does not report bytes');
  });
});
