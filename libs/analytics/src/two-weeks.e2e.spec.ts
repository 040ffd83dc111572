import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createPgliteAdapter, createPostgresAdapter } from '@sp01/modeling-adapter-postgres';
import { describePostgres, freshSchemaPrefix } from '@sp01/vitest-preset/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as expected from './__fixtures__/two-weeks.expected.js';
import { WEEK_ONE, WEEK_TWO, writeReports } from './__fixtures__/two-weeks.js';

/**
 * The hand-made reports through the built ETL and the model builder, as a user runs them:
 * week one, then week two on top of it (the incremental facts take only what is new), then
 * the same again (nothing to write). Every mart value is asserted.
 */
const workspace = resolve(import.meta.dirname, '../../..');
const ETL = join(workspace, 'apps/etl/dist/main.js');
const MODELS = join(workspace, 'apps/models/dist/main.js');
const PROJECT = join(workspace, 'libs/analytics');

interface Warehouse {
  /** Flags both CLIs take to reach it. */
  flags: string[];
  query(sql: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

function run(cli: string, args: string[]): string {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: workspace, encoding: 'utf8', env: { ...process.env, SP01_LOG_LEVEL: 'warn' } });
  if (result.status !== 0) throw new Error(`${cli} ${args.join(' ')} exited ${result.status}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

interface RunResult {
  unique_id: string;
  status: string;
  adapter_response: { rows_affected?: number };
}

function twoWeeks(name: string, open: (scratch: string) => Warehouse, prefix: string) {
  describe(name, () => {
    let scratch: string;
    let warehouse: Warehouse;
    let weekTwoResults: RunResult[];
    let rerunResults: RunResult[];

    const build = () => {
      const targetDir = join(scratch, 'target');
      run(MODELS, ['build', '--project-dir', PROJECT, '--target-dir', targetDir, ...warehouse.flags]);
      return (JSON.parse(readFileSync(join(targetDir, 'run_results.json'), 'utf8')) as { results: RunResult[] }).results;
    };
    /** A relation's rows as JSON (dates as YYYY-MM-DD, instants in UTC, numbers as numbers), in key order. */
    const rows = async (relation: string, orderBy: string) => {
      const [row] = await warehouse.query(`select coalesce(json_agg(t order by ${orderBy}), '[]')::text as rows from ${prefix}${relation} as t`);
      return JSON.parse(String(row?.['rows'])) as Record<string, unknown>[];
    };

    beforeAll(async () => {
      scratch = mkdtempSync(join(tmpdir(), 'analytics-two-weeks-'));
      warehouse = open(scratch);
      const reports = join(scratch, 'reports');
      await writeReports(reports, WEEK_ONE);
      run(ETL, ['--source-dir', reports, ...warehouse.flags]);
      const weekOne = build();
      expect(weekOne.filter((r) => !['success', 'pass'].includes(r.status))).toEqual([]);
      await writeReports(reports, WEEK_TWO);
      run(ETL, ['--source-dir', reports, ...warehouse.flags]);
      weekTwoResults = build();
      rerunResults = build();
    });

    afterAll(async () => {
      await warehouse?.close();
      rmSync(scratch, { recursive: true, force: true });
    });

    it('passes every data test and unit test of the project, both times', () => {
      for (const results of [weekTwoResults, rerunResults]) {
        expect(results.filter((r) => !['success', 'pass'].includes(r.status)).map((r) => r.unique_id)).toEqual([]);
        expect(results.filter((r) => r.unique_id.startsWith('unit_test.'))).toHaveLength(4);
      }
    });

    it('mart_daily_kpis', async () => {
      expect(await rows('marts.mart_daily_kpis', 'kpi_date')).toEqual(expected.MART_DAILY_KPIS);
    });

    it('mart_channel_performance', async () => {
      expect(await rows('marts.mart_channel_performance', 'stat_date, channel_id')).toEqual(expected.MART_CHANNEL_PERFORMANCE);
    });

    it('mart_topup_funnel', async () => {
      expect(await rows('marts.mart_topup_funnel', 'cohort_week')).toEqual(expected.MART_TOPUP_FUNNEL);
    });

    it('mart_retention', async () => {
      expect(await rows('marts.mart_retention', 'cohort_week, week_offset')).toEqual(expected.MART_RETENTION);
    });

    it('mart_membership_transitions', async () => {
      expect(await rows('marts.mart_membership_transitions', 'transition_date, from_level, to_level')).toEqual(expected.MART_MEMBERSHIP_TRANSITIONS);
    });

    it('mart_deduction_deviation', async () => {
      expect(await rows('marts.mart_deduction_deviation', 'deduction_date, channel_id')).toEqual(expected.MART_DEDUCTION_DEVIATION);
    });

    it('dim_users', async () => {
      expect(await rows('core.dim_users', 'user_id')).toEqual(expected.DIM_USERS);
    });

    it('snap_channels keeps C1 before and after its rename', async () => {
      const snapshot = await rows('core.snap_channels', 'channel_id, dbt_valid_from');
      expect(snapshot.map((r) => [r['channel_id'], r['channel_name'], r['category'], r['dbt_valid_to'] === null])).toEqual([
        ['C1', 'Alpha', 'music', false],
        ['C1', 'Alpha Live', 'chat', true],
        ['C2', 'Beta', 'gaming', true],
        ['C3', null, null, true],
      ]);
    });

    it('writes only the new and changed rows of the incremental facts when week two lands', () => {
      const written = (results: RunResult[], model: string) => results.find((r) => r.unique_id === `model.sp01_analytics.${model}`)?.adapter_response.rows_affected;
      for (const [model, count] of Object.entries(expected.WEEK_TWO_ROWS_WRITTEN)) {
        expect({ model, rows: written(weekTwoResults, model) }).toEqual({ model, rows: count });
        expect({ model, rows: written(rerunResults, model) }).toEqual({ model, rows: 0 });
      }
    });
  });
}

twoWeeks(
  'two weeks of reports on PGlite',
  (scratch) => {
    const dir = join(scratch, 'warehouse');
    let adapter: ReturnType<typeof createPgliteAdapter> | undefined;
    return {
      flags: ['--pglite-dir', dir],
      // Opened after the CLIs are done with the folder: PGlite is one process at a time.
      query: async (sql) => {
        adapter ??= createPgliteAdapter({ dataDir: dir });
        return adapter.query(sql);
      },
      close: async () => adapter?.close(),
    };
  },
  '',
);

describePostgres('two weeks of reports on PostgreSQL', (url) => {
  const prefix = freshSchemaPrefix();
  twoWeeks(
    'with a schema prefix',
    () => {
      const adapter = createPostgresAdapter({ url, poolSize: 1 });
      return {
        flags: ['--warehouse', 'postgres', '--database-url', url, '--schema-prefix', prefix],
        query: (sql) => adapter.query(sql),
        close: async () => {
          for (const schema of ['raw', 'staging', 'core', 'marts']) await adapter.execute(`drop schema if exists ${prefix}${schema} cascade`);
          await adapter.close();
        },
      };
    },
    prefix,
  );
});
