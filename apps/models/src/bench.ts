import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgliteAdapter, createPostgresAdapter } from '@sp01/modeling-adapter-postgres';
import type { Target } from '@sp01/modeling-compiler';
import { compileGraph, generateSyntheticProject, parseProject, postgresDialect } from '@sp01/modeling-compiler';
import type { AdapterSession, ExecuteOptions, SqlPlan, WarehouseAdapter } from '@sp01/modeling-executor';
import { runGraph, runSucceeded } from '@sp01/modeling-executor';

/**
 * `nx run models:bench`:
 * 1. compile time of a generated 500-model project (the compiler's own bench,
 *    `nx run modeling-compiler:bench`, covers more sizes);
 * 2. build time of a generated 100-model project on PostgreSQL (DATABASE_URL; PGlite when
 *    unset) through the executor, against replaying the very statements the executor ran
 *    through one plain connection: no compile, no catalog lookups, no scheduling.
 */

const COMPILE_MODELS = 500;
const BUILD_MODELS = 100;
const ROWS_PER_SOURCE = 2_000;
const RUNS = 3;

const url = process.env['DATABASE_URL'];
const prefix = `bench_${process.pid}_`;
const root = mkdtempSync(join(tmpdir(), 'models-bench-'));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const ms = (value: number) => `${value.toFixed(0)} ms`;

/** Every statement the executor sends for real work (plans, test queries, hooks), in order. */
class Recorder {
  statements: string[] = [];

  adapter(inner: WarehouseAdapter): WarehouseAdapter {
    const session = (s: AdapterSession): AdapterSession => ({
      execute: (sql, options?: ExecuteOptions) => {
        this.statements.push(sql);
        return s.execute(sql, options);
      },
      query: (sql, options?: ExecuteOptions) => {
        this.statements.push(sql);
        return s.query(sql, options);
      },
      runPlan: (plan: SqlPlan, options?: ExecuteOptions) => {
        for (const batch of plan) {
          if (batch.atomic) this.statements.push('begin');
          for (const statement of batch.statements) this.statements.push(statement.sql);
          if (batch.atomic) this.statements.push('commit');
        }
        return s.runPlan(plan, options);
      },
      getRelation: (relation) => s.getRelation(relation),
      getColumns: (relation) => s.getColumns(relation),
      describeQuery: (sql) => s.describeQuery(sql),
    });
    return new Proxy(inner, {
      get: (target, key, receiver) => {
        if (key === 'withSession') return <T>(work: (s: AdapterSession) => Promise<T>) => target.withSession((s) => work(session(s)));
        if (key === 'ensureSchema') {
          return async (relation: { schema: string }) => {
            const sql = `create schema if not exists ${postgresDialect.quoteIdentifier(relation.schema)}`;
            this.statements.push(sql);
            await target.execute(sql);
          };
        }
        const value: unknown = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }
}

function compileBench(): string[] {
  const dir = join(root, 'compile');
  generateSyntheticProject(dir, COMPILE_MODELS);
  const once = () => {
    const start = performance.now();
    const graph = parseProject({ projectDir: dir, env: {} });
    const compiled = compileGraph(graph, { dialect: postgresDialect, env: {} });
    return { ms: performance.now() - start, nodes: compiled.nodes.size };
  };
  const cold = once();
  const warm = Array.from({ length: RUNS }, () => once().ms);
  return [`compile ${COMPILE_MODELS} models (${cold.nodes} nodes): cold ${ms(cold.ms)}, warm median ${ms(median(warm))}`];
}

async function loadSources(adapter: WarehouseAdapter, raw: string): Promise<void> {
  const tables = Array.from({ length: 10 }, (_, t) =>
    [
      `create table "${raw}".table_${t} as`,
      `select g as id, timestamp '2024-01-01' + g * interval '1 minute' as created_at,`,
      `  (g % 100)::numeric as amount, g % 7 as quantity, (g % 3)::numeric as discount,`,
      `  (array['placed', 'shipped', 'returned'])[1 + g % 3] as status, now() as _loaded_at`,
      `from generate_series(1, ${ROWS_PER_SOURCE}) g;`,
    ].join('\n'),
  );
  await adapter.execute(`drop schema if exists "${raw}" cascade; create schema "${raw}";\n${tables.join('\n')}`);
}

async function dropBuilt(adapter: WarehouseAdapter, schema: string): Promise<void> {
  await adapter.execute([schema, `${schema}_staging`, `${schema}_marts`, `${schema}_dbt_test__audit`].map((s) => `drop schema if exists "${s}" cascade;`).join('\n'));
}

async function buildBench(): Promise<string[]> {
  const dir = join(root, 'build');
  const summary = generateSyntheticProject(dir, BUILD_MODELS);
  const raw = `${prefix}raw`;
  const sources = join(dir, 'models', 'staging', '_sources.yml');
  writeFileSync(sources, readFileSync(sources, 'utf8').replace('  - name: raw\n', `  - name: raw\n    schema: ${raw}\n`));
  const target: Target = { name: 'bench', type: 'postgres', schema: `${prefix}analytics`, database: null };
  const graph = parseProject({ projectDir: dir, target, env: {} });
  const engine = url ? 'PostgreSQL' : 'PGlite (DATABASE_URL unset)';
  const adapter = url ? createPostgresAdapter({ url, poolSize: 5 }) : createPgliteAdapter();
  const lines: string[] = [];
  try {
    await loadSources(adapter, raw);
    const rows: [string, number, number][] = [];
    let recorded: string[] = [];
    for (const threads of [1, 4]) {
      const times: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        await dropBuilt(adapter, target.schema);
        const recorder = new Recorder();
        const start = performance.now();
        const results = await runGraph({ graph, adapter: recorder.adapter(adapter), command: 'build', threads, target, env: {} });
        times.push(performance.now() - start);
        if (!runSucceeded(results)) throw new Error(`bench build failed: ${results.results.find((r) => r.status === 'error' || r.status === 'fail')?.message}`);
        recorded = recorder.statements;
      }
      rows.push([`executor build, ${threads} thread${threads === 1 ? '' : 's'}`, median(times), recorded.length]);
    }
    const direct: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      await dropBuilt(adapter, target.schema);
      await adapter.withSession(async (session) => {
        const start = performance.now();
        for (const statement of recorded) await session.execute(statement);
        direct.push(performance.now() - start);
      });
    }
    rows.push(['same SQL replayed on one connection', median(direct), recorded.length]);
    await dropBuilt(adapter, target.schema);
    const nodes = [...graph.nodes.values()].filter((n) => n.resource_type !== 'unit_test' && !(n.resource_type === 'model' && n.config.materialized === 'ephemeral')).length;
    lines.push(
      `build of a ${summary.models}-model project on ${engine}: ${nodes} nodes (models and ${summary.tests} data tests), ${ROWS_PER_SOURCE} rows in each of ${summary.sources} sources; median of ${RUNS}`,
      '',
      `${'how'.padEnd(40)} | ${'wall'.padStart(9)} | statements`,
      `${'-'.repeat(40)}-|-${'-'.repeat(9)}-|-----------`,
      ...rows.map(([how, time, count]) => `${how.padEnd(40)} | ${ms(time).padStart(9)} | ${String(count).padStart(10)}`),
    );
    const overhead = (rows[0]?.[1] ?? 0) - median(direct);
    lines.push('', `executor overhead at 1 thread (compile, catalog lookups, scheduling, run results): ${ms(overhead)} (${((overhead / median(direct)) * 100).toFixed(0)}%)`);
  } finally {
    await adapter.execute(`drop schema if exists "${raw}" cascade`).catch(() => undefined);
    await adapter.close();
  }
  return lines;
}

try {
  console.log('models bench\n');
  for (const line of compileBench()) console.log(line);
  console.log('');
  for (const line of await buildBench()) console.log(line);
} finally {
  rmSync(root, { recursive: true, force: true });
}
