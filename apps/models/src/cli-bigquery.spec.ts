import { BigQuery } from '@google-cloud/bigquery';
import type { FakeBigQuery, QueryCall } from '@sp01/google-fakes';
import { startFakeBigQuery } from '@sp01/google-fakes';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from './cli.js';
import type { MiniProject } from './__fixtures__/mini-project.js';
import { captureStreams, miniProject } from './__fixtures__/mini-project.js';

const PROJECT = 'sp01-test';

describe('models CLI on BigQuery (local fake speaking the REST API)', () => {
  let fake: FakeBigQuery;
  let bigquery: BigQuery;
  let project: MiniProject;
  let queries: QueryCall[];

  beforeEach(async () => {
    process.env['METADATA_SERVER_DETECTION'] = 'none';
    fake = await startFakeBigQuery();
    bigquery = new BigQuery(fake.clientOptions(PROJECT) as ConstructorParameters<typeof BigQuery>[0]);
    project = miniProject('');
    queries = [];
    // Every dry run says 600 MB; real queries are only recorded.
    fake.onQuery((call) => {
      queries.push(call);
      return call.dryRun ? { totalBytesProcessed: 600_000_000 } : undefined;
    });
  });
  afterEach(async () => {
    await fake.close();
    project.remove();
  });

  async function cli(command: string, ...args: string[]) {
    const streams = captureStreams();
    const code = await main(
      [command, '--project-dir', project.projectDir, '--target-dir', project.targetDir, '--warehouse', 'bigquery', '--bigquery-project', PROJECT, ...args],
      {},
      streams.io,
      { bigquery },
    );
    return { code, out: streams.out(), err: streams.err() };
  }

  it('dry-runs each model for its bytes and cost, and exits 1 over --max-bytes', async () => {
    const within = await cli('dry-run', '--exclude', 'resource_type:test', '--max-bytes', '10GB');
    expect(within.err).toBe('');
    expect(within.code).toBe(0);
    expect(within.out).toMatch(/OK +model\.mini\.teams +572\.20 MiB \$0\.0034/);
    expect(within.out).toContain('Within budget: 2.24 GiB <= --max-bytes 9.31 GiB');
    const over = await cli('dry-run', '--exclude', 'resource_type:test', '--max-bytes', '1GB');
    expect(over.code).toBe(1);
    expect(over.out).toContain('OVER BUDGET: 2.24 GiB > --max-bytes 953.67 MiB');
    expect(queries.every((q) => q.dryRun)).toBe(true);
  });

  it('refuses to start a run that would process more than --max-bytes: nothing is spent', async () => {
    const refused = await cli('run', '--max-bytes', '1GB');
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('Nothing was run: the selection would process more than --max-bytes.');
    expect(queries.length).toBeGreaterThan(0);
    expect(queries.filter((q) => !q.dryRun)).toEqual([]);
    expect(fake.jobs.filter((job) => job.configuration.dryRun !== true && job.configuration.query)).toEqual([]);
  });

  it('compiles with BigQuery quoting and the project filled in', async () => {
    const { code, out } = await cli('compile', '-s', 'teams', '--indirect-selection', 'empty', '--bigquery-dataset-prefix', 'dev_');
    expect(code).toBe(0);
    expect(out).toContain('from `sp01-test`.`dev_analytics`.`people`');
  });
});
