import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { CompiledGraph, Target } from '@sp01/modeling-compiler';
import { bigqueryDialect, compileGraph, parseProject } from '@sp01/modeling-compiler';
import { describe, expect, it } from 'vitest';

// The SQL every model, snapshot and test compiles to on BigQuery, kept as golden files:
// a change to a model or to the compiler shows up here as a reviewed diff.
// Rewrite them with `UPDATE_GOLDEN=1 nx test analytics`.
const PROJECT_DIR = join(import.meta.dirname, '..');
const GOLDEN_DIR = join(import.meta.dirname, '__golden__', 'bigquery');
const TARGET: Target = { name: 'prod', type: 'bigquery', schema: 'analytics', database: 'sp01-warehouse' };
const ENV = { SP01_SCHEMA_PREFIX: '' };

function goldenFiles(compiled: CompiledGraph, incremental: CompiledGraph): Map<string, string> {
  const files = new Map<string, string>();
  for (const node of compiled.nodes.values()) {
    const { resource_type: type, name } = node.node;
    if (type === 'seed') continue;
    const file = type === 'test' ? `tests/${node.node.path}` : type === 'snapshot' ? `snapshots/${name}.sql` : `${name}.sql`;
    files.set(file, node.compiled_code);
    if (type === 'model' && node.node.config.materialized === 'incremental') {
      files.set(`${name}.is_incremental.sql`, incremental.nodes.get(node.unique_id)?.compiled_code ?? '');
    }
  }
  return files;
}

function listGolden(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

const withNewline = (sql: string) => (sql.endsWith('\n') ? sql : `${sql}\n`);

describe('compiled BigQuery SQL of the analytics project', () => {
  const graph = parseProject({ projectDir: PROJECT_DIR, env: ENV, target: TARGET });
  const compiled = compileGraph(graph, { dialect: bigqueryDialect, target: TARGET, env: ENV });
  const incremental = compileGraph(graph, { dialect: bigqueryDialect, target: TARGET, env: ENV, isIncremental: true });
  const files = goldenFiles(compiled, incremental);

  if (process.env['UPDATE_GOLDEN'] === '1') {
    rmSync(GOLDEN_DIR, { recursive: true, force: true });
    for (const [file, sql] of files) {
      mkdirSync(dirname(join(GOLDEN_DIR, file)), { recursive: true });
      writeFileSync(join(GOLDEN_DIR, file), withNewline(sql));
    }
  }

  it('has a golden file for every model, snapshot and test, and no stale ones', () => {
    expect(listGolden(GOLDEN_DIR)).toEqual([...files.keys()].sort());
  });

  it('covers every model of the issue', () => {
    const models = [...compiled.nodes.values()].filter((n) => n.node.resource_type === 'model').map((n) => n.node.name);
    expect(models.sort()).toEqual(
      [
        'stg_top_up', 'stg_pre_deduction', 'stg_post_deduction', 'stg_op_stats',
        'fct_topup', 'fct_deduction', 'fct_user_activity', 'dim_users', 'dim_user_membership_history', 'dim_channels',
        'mart_daily_kpis', 'mart_channel_performance', 'mart_topup_funnel', 'mart_retention', 'mart_membership_transitions', 'mart_deduction_deviation',
      ].sort(),
    );
  });

  it('places models in exactly staging, core and marts', () => {
    const schemas = new Set([...compiled.nodes.values()].filter((n) => n.node.resource_type !== 'test').map((n) => n.relation?.schema));
    expect([...schemas].sort()).toEqual(['core', 'marts', 'staging']);
  });

  it.each([...files.keys()].sort())('%s', (file) => {
    expect(withNewline(files.get(file) as string)).toBe(readFileSync(join(GOLDEN_DIR, file), 'utf8'));
  });
});

describe('the schema prefix', () => {
  const target: Target = { name: 'dev', type: 'postgres', schema: 'analytics' };

  it.each([
    ['--schema-prefix (var schema_prefix)', { schema_prefix: 'dev_' }, {}],
    ['SP01_SCHEMA_PREFIX', {}, { SP01_SCHEMA_PREFIX: 'dev_' }],
  ])('prefixes the raw source and every schema, from %s', (_, vars, env) => {
    const graph = parseProject({ projectDir: PROJECT_DIR, env, vars, target });
    expect([...graph.sources.values()].map((s) => s.schema)).toEqual(['dev_raw', 'dev_raw', 'dev_raw', 'dev_raw']);
    const compiled = compileGraph(graph, { dialect: bigqueryDialect, target, env, vars });
    const schemas = new Set([...compiled.nodes.values()].filter((n) => n.node.resource_type !== 'test').map((n) => n.relation?.schema));
    expect([...schemas].sort()).toEqual(['dev_core', 'dev_marts', 'dev_staging']);
  });
});
