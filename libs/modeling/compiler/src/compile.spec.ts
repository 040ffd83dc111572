import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bigqueryDialect } from './bigquery-dialect.js';
import { JAFFLE_DIR, writeProject } from './__fixtures__/project-files.js';
import { compileGraph, compileNode, createCompiler, injectCtes } from './compile.js';
import type { Dialect } from './dialect.js';
import type { CompiledGraph, ModelNode, ProjectGraph, Target } from './graph.js';
import { buildManifest } from './manifest.js';
import { parseProject } from './parse.js';
import { postgresDialect } from './postgres-dialect.js';

const graph = parseProject({ projectDir: JAFFLE_DIR, env: {} });
const GOLDEN_DIR = join(import.meta.dirname, '__golden__');

const DIALECTS: { dialect: Dialect; target: Target }[] = [
  { dialect: postgresDialect, target: { name: 'dev', type: 'postgres', schema: 'analytics' } },
  { dialect: bigqueryDialect, target: { name: 'prod', type: 'bigquery', schema: 'analytics', database: 'sp01-warehouse' } },
];

/** Every compiled SQL of the fixture, keyed by its golden file name. */
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
  for (const test of compiled.unit_tests.values()) {
    files.set(`unit_tests/${test.node.name}.sql`, `${test.actual_sql}\n\n-- expected\n${test.expected_sql}\n`);
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

describe.each(DIALECTS)('golden compiled SQL for $dialect.type', ({ dialect, target }) => {
  // Parsed for its own target: configs may depend on target.type, as in dbt.
  const parsed = parseProject({ projectDir: JAFFLE_DIR, env: {}, target });
  const compiled = compileGraph(parsed, { dialect, target, env: {} });
  const incremental = compileGraph(parsed, { dialect, target, env: {}, isIncremental: true });
  const files = goldenFiles(compiled, incremental);
  const dir = join(GOLDEN_DIR, dialect.type);

  if (process.env['UPDATE_GOLDEN'] === '1') {
    rmSync(dir, { recursive: true, force: true });
    for (const [file, sql] of files) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), sql.endsWith('\n') ? sql : `${sql}\n`);
    }
  }

  it('has one golden file per compiled node, and no stale ones', () => {
    expect(listGolden(dir)).toEqual([...files.keys()].sort());
  });

  it.each([...files.keys()].sort())('%s', (file) => {
    const sql = files.get(file) as string;
    expect(`${sql.endsWith('\n') ? sql : `${sql}\n`}`).toBe(readFileSync(join(dir, file), 'utf8'));
  });
});

describe('compiling nodes', () => {
  const compiler = createCompiler(graph, { dialect: postgresDialect, target: { name: 'dev', type: 'postgres', schema: 'analytics' }, env: {} });

  it('inlines ephemeral models as __dbt__cte__ CTEs, nested ones first', () => {
    const orders = compiler.compile('model.jaffle.orders');
    expect(orders.extra_ctes.map((cte) => cte.id)).toEqual(['model.jaffle.int_payments_typed', 'model.jaffle.int_order_payments']);
    expect(orders.compiled_code).toMatch(/^\s*with __dbt__cte__int_payments_typed as \(\n/);
    expect(orders.compiled_code).toContain('),\n__dbt__cte__int_order_payments as (\nwith payments as (');
    expect(orders.compiled_code).toContain('from __dbt__cte__int_order_payments');
    const ephemeral = compiler.compile('model.jaffle.int_order_payments');
    expect(ephemeral.relation).toBeNull();
    expect(ephemeral.relation_name).toBeNull();
  });

  it('renders is_incremental() per call, as the executor needs', () => {
    const first = compiler.compile('model.jaffle.orders');
    const next = compiler.compile('model.jaffle.orders', { isIncremental: true });
    expect(first.is_incremental).toBe(false);
    expect(first.compiled_code).not.toContain('max(order_date)');
    expect(next.is_incremental).toBe(true);
    expect(next.compiled_code).toContain('where orders.order_date >= (select max(order_date) from "analytics_marts"."orders")');
    expect(compiler.compile('model.jaffle.customers', { isIncremental: true }).is_incremental).toBe(false);
  });

  it('asks a function whether a node is incremental', () => {
    const asked: string[] = [];
    const compiled = compileNode(graph, 'model.jaffle.daily_top_ups', {
      dialect: postgresDialect,
      env: {},
      isIncremental: (node: ModelNode) => {
        asked.push(node.name);
        return true;
      },
    });
    expect(asked).toEqual(['daily_top_ups']);
    expect(compiled.compiled_code).toContain(`topped_up_at_taipei >= (select max(top_up_date) from "public_marts"."daily_top_ups") + ((interval '1 day') * (-3))`);
  });

  it.each([
    ['model.jaffle.stg_orders', '"analytics_staging"."stg_orders"'],
    ['model.jaffle.customer_overview', '"analytics_marts"."customer_overview_v"'],
    ['seed.jaffle.raw_payments', '"analytics_raw_seeds"."raw_payments"'],
    ['snapshot.jaffle.customers_snapshot', '"snapshots"."customers_snapshot"'],
    ['snapshot.jaffle.orders_status_snapshot', '"analytics_history"."orders_status_snapshot"'],
  ])('puts %s at %s (generate_schema_name, alias, target_schema)', (id, relation) => {
    expect(compiler.compile(id).relation_name).toBe(relation);
  });

  it('hands over rendered generic test arguments, for one scan per model', () => {
    const tests = [...graph.nodes.values()].filter((n) => n.resource_type === 'test');
    const details = tests.map((test) => compiler.compile(test.unique_id).generic_test).filter((d) => d?.model === '"analytics_staging"."stg_orders"');
    expect(details).toEqual(
      expect.arrayContaining([
        { name: 'unique', built_in: true, column_name: 'order_id', model: '"analytics_staging"."stg_orders"', where: null, kwargs: {} },
        {
          name: 'accepted_values',
          built_in: true,
          column_name: 'status',
          model: '"analytics_staging"."stg_orders"',
          where: null,
          kwargs: { values: ['placed', 'shipped', 'completed', 'return_pending', 'returned'] },
        },
        {
          name: 'relationships',
          built_in: true,
          column_name: 'customer_id',
          model: '"analytics_staging"."stg_orders"',
          where: "order_date >= '2024-01-01'",
          kwargs: { to: '"analytics_staging"."stg_customers"', field: 'customer_id' },
        },
      ]),
    );
    expect(details).toHaveLength(4);
    expect(compiler.compile('test.jaffle.assert_order_amount_not_negative').generic_test).toBeUndefined();
  });

  it('gives tests a relation only when they store failures', () => {
    const tests = [...graph.nodes.values()].filter((n) => n.resource_type === 'test');
    for (const test of tests) {
      const compiled = compiler.compile(test.unique_id);
      if (test.config.store_failures) expect(compiled.relation_name).toBe(`"analytics_dbt_test__audit"."${test.name}"`);
      else expect(compiled.relation).toBeNull();
    }
  });

  it('uses the relation resolver it is given for refs, sources and this', () => {
    const custom = createCompiler(graph, {
      dialect: postgresDialect,
      env: {},
      resolveRelation: (node) => ({ database: null, schema: 'sandbox', identifier: `${node.resource_type}_${node.name}` }),
    });
    expect(custom.compile('model.jaffle.customers').compiled_code).toContain('from "sandbox"."model_stg_customers"');
    expect(custom.compile('model.jaffle.stg_customers').compiled_code).toContain('from "sandbox"."source_customers"');
    expect(custom.compile('model.jaffle.orders', { isIncremental: true }).compiled_code).toContain('from "sandbox"."model_orders"');
  });

  it("follows the project's generate_schema_name and generate_alias_name, as dbt does", () => {
    const dir = writeProject({
      'macros/naming.sql': [
        '{% macro generate_schema_name(custom_schema_name, node) -%}',
        '  {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}',
        '{%- endmacro %}',
        '{% macro generate_alias_name(custom_alias_name=none, node=none) -%}',
        "  {%- if custom_alias_name -%}{{ custom_alias_name | trim }}{%- else -%}{{ node.name ~ '_v2' }}{%- endif -%}",
        '{%- endmacro %}',
      ].join('\n'),
      'models/a.sql': "{{ config(schema='marts') }}\nselect 1 as id",
      'models/b.sql': "{{ config(alias='bee') }}\nselect * from {{ ref('a') }}",
    });
    const parsed = parseProject({ projectDir: dir });
    const custom = createCompiler(parsed, { dialect: postgresDialect, target: { name: 'prod', type: 'postgres', schema: 'analytics' } });
    const b = custom.compile('model.demo.b');
    expect(b.compiled_code).toBe('\nselect * from "marts"."a_v2"');
    expect(b.relation_name).toBe('"analytics"."bee"');
    const manifest = buildManifest(parsed, { dialect: postgresDialect, compiled: new Map([['model.demo.b', b]]) });
    expect(manifest.nodes['model.demo.b']).toMatchObject({ schema: 'analytics', alias: 'bee', relation_name: '"analytics"."bee"' });
  });

  it("renders Jinja in a test's where config", () => {
    const dir = writeProject({
      'models/m.sql': 'select 1 as id, current_date as day',
      'models/schema.yml': [
        'version: 2',
        'models:',
        '  - name: m',
        '    columns:',
        '      - name: id',
        '        data_tests:',
        '          - not_null:',
        '              config:',
        `                where: "day >= {{ dbt.dateadd('day', -var('days', 3), dbt.current_timestamp()) }}"`,
        '',
      ].join('\n'),
    });
    const parsed = parseProject({ projectDir: dir });
    const test = [...parsed.nodes.values()].find((n) => n.resource_type === 'test');
    expect(compileNode(parsed, test?.unique_id ?? '', { dialect: bigqueryDialect, vars: { days: 7 } }).compiled_code).toBe(
      'select id\nfrom (select * from `public`.`m` where day >= date_add(current_timestamp(), interval -7 day)) dbt_subquery\nwhere id is null',
    );
  });

  it('takes vars and env from the context over the graph', () => {
    const custom = createCompiler(graph, { dialect: postgresDialect, vars: { start_date: '2025-06-01' }, env: { SP01_SOURCE_SYSTEM: 'gdrive' } });
    expect(custom.compile('model.jaffle.stg_orders').compiled_code).toContain("where order_date >= '2025-06-01'");
    expect(custom.compile('model.jaffle.stg_top_ups').compiled_code).toContain("cast('gdrive' as TEXT) as source_system");
  });

  it('renders hooks with the node context', () => {
    const dir = writeProject({
      'models/m.sql': `{{ config(materialized='table', post_hook=["grant select on {{ this }} to reporter", "analyze {{ this }}"], pre_hook="set search_path = {{ target.schema }}") }}\nselect 1 as id`,
    });
    const compiled = compileNode(parseProject({ projectDir: dir }), 'model.demo.m', { dialect: postgresDialect, target: { name: 'ci', type: 'postgres', schema: 'ci' } });
    expect(compiled.pre_hooks).toEqual(['set search_path = ci']);
    expect(compiled.post_hooks).toEqual(['grant select on "ci"."m" to reporter', 'analyze "ci"."m"']);
  });

  it("refuses a ref that parsing did not see, and says how to declare it", () => {
    const dir = writeProject({
      'models/a.sql': 'select 1 as id',
      'models/m.sql': "select 1\n{% if execute %}\nunion all select * from {{ ref('a') }}\n{% endif %}",
    });
    const parsed = parseProject({ projectDir: dir });
    expect(parsed.nodes.get('model.demo.m')?.depends_on.nodes).toEqual([]);
    expect(() => compileNode(parsed, 'model.demo.m', { dialect: postgresDialect })).toThrow(
      /^models\/m\.sql:3: dbt was unable to infer all dependencies for model 'm'.*-- depends_on: \{\{ ref\('a'\) \}\}/s,
    );
  });

  it('captures refs of the is_incremental() branch while parsing', () => {
    const dir = writeProject({
      'models/a.sql': 'select 1 as id',
      'models/b.sql': 'select 2 as id',
      'models/m.sql': "{{ config(materialized='incremental') }}\nselect * from {{ ref('a') }}\n{% if is_incremental() %}\nwhere id not in (select id from {{ ref('b') }})\n{% endif %}",
    });
    const parsed = parseProject({ projectDir: dir });
    expect(parsed.nodes.get('model.demo.m')?.depends_on.nodes).toEqual(['model.demo.a', 'model.demo.b']);
    expect(compileNode(parsed, 'model.demo.m', { dialect: postgresDialect, isIncremental: true }).compiled_code).toContain('from "public"."b"');
  });

  it('reports a missing var with its name', () => {
    const dir = writeProject({ 'models/m.sql': "select 1\nwhere x = {{ var('missing') }}" });
    expect(() => parseProject({ projectDir: dir })).toThrow("models/m.sql:2: Required var 'missing' not found in config");
  });

  it('compiles a unit test into runnable SQL with fixtures as CTEs', () => {
    const test = compiler.compileUnitTest('unit_test.jaffle.orders.orders_incremental_only_new');
    expect(test.fixtures.map((f) => f.cte_name)).toEqual(['__dbt__cte__stg_orders', '__dbt__cte__int_order_payments', '__dbt__cte__this']);
    expect(test.model_sql).toContain('from __dbt__cte__this');
    expect(test.actual_sql.startsWith('with __dbt__cte__stg_orders as (')).toBe(false);
    expect(test.actual_sql.trimStart().startsWith('with __dbt__cte__stg_orders as (')).toBe(true);
    expect(test.expected_columns).toEqual(['order_id', 'amount']);
    expect(test.expected_sql).toBe('select 2 as "order_id", cast(15 as numeric) as "amount"');
  });
});

describe('a graph that lost its parse-time caches', () => {
  it('compiles the same SQL after a structured clone (templates re-read from raw_code)', () => {
    const clone = structuredClone(graph);
    const dialectContext = { dialect: bigqueryDialect, target: DIALECTS[1]?.target, env: {} };
    for (const id of ['model.jaffle.orders', 'snapshot.jaffle.customers_snapshot', 'model.jaffle.stg_payments']) {
      expect(compileNode(clone, id, dialectContext).compiled_code).toBe(compileNode(graph, id, dialectContext).compiled_code);
    }
    const relationships = [...graph.nodes.values()].find((n) => n.name.startsWith('relationships_'));
    expect(compileNode(clone, relationships?.unique_id ?? '', dialectContext).compiled_code).toContain('`analytics_staging`.`stg_customers`');
  });
});

describe('injectCtes', () => {
  const ctes = [
    { id: 'a', sql: '__dbt__cte__a as (\nselect 1\n)' },
    { id: 'b', sql: '__dbt__cte__b as (\nselect 2\n)' },
  ];
  it.each([
    ['a plain select', 'select * from x', 'with __dbt__cte__a as (\nselect 1\n),\n__dbt__cte__b as (\nselect 2\n)\nselect * from x'],
    ['a with clause', 'with y as (select 1) select * from y', 'with __dbt__cte__a as (\nselect 1\n),\n__dbt__cte__b as (\nselect 2\n),\ny as (select 1) select * from y'],
    ['an upper-case WITH after comments', '-- note\n/* block */\nWITH y as (select 1) select 1', '-- note\n/* block */\nWITH __dbt__cte__a as (\nselect 1\n),\n__dbt__cte__b as (\nselect 2\n),\ny as (select 1) select 1'],
    ['with recursive', 'with recursive r as (select 1) select 1', 'with recursive __dbt__cte__a as (\nselect 1\n),\n__dbt__cte__b as (\nselect 2\n),\nr as (select 1) select 1'],
    ['a table whose name starts with "with"', 'withdrawals', 'with __dbt__cte__a as (\nselect 1\n),\n__dbt__cte__b as (\nselect 2\n)\nwithdrawals'],
  ])('into %s', (_name, sql, expected) => {
    expect(injectCtes(sql, ctes)).toBe(expected);
  });

  it('leaves SQL alone without CTEs', () => {
    expect(injectCtes('select 1', [])).toBe('select 1');
  });
});

describe('compileGraph', () => {
  it('compiles only what is selected', () => {
    const compiled = compileGraph(graph as ProjectGraph, { dialect: postgresDialect, env: {} }, ['model.jaffle.customers', 'unit_test.jaffle.customers.customers_sum_lifetime_value']);
    expect([...compiled.nodes.keys()]).toEqual(['model.jaffle.customers']);
    expect([...compiled.unit_tests.keys()]).toEqual(['unit_test.jaffle.customers.customers_sum_lifetime_value']);
    expect(compiled.dialect).toBe('postgres');
  });
});
