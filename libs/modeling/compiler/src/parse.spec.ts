import { describe, expect, it } from 'vitest';
import { JAFFLE_DIR, writeProject } from './__fixtures__/project-files.js';
import type { GenericTestNode, GraphNode, ProjectGraph, UnitTestNode } from './graph.js';
import { parseProject } from './parse.js';
import { parseVarsArgument } from './project-file.js';

const graph = parseProject({ projectDir: JAFFLE_DIR, env: {} });

function node(id: string): Exclude<GraphNode, UnitTestNode> {
  const found = graph.nodes.get(id);
  if (!found || found.resource_type === 'unit_test') throw new Error(`no node ${id}`);
  return found;
}

function unitTest(id: string): UnitTestNode {
  const found = graph.nodes.get(id);
  if (found?.resource_type !== 'unit_test') throw new Error(`no unit test ${id}`);
  return found;
}

function materialized(parsed: ProjectGraph, id: string): string | undefined {
  const found = parsed.nodes.get(id);
  return found?.resource_type === 'model' ? found.config.materialized : undefined;
}

function testOn(graphToSearch: ProjectGraph, attached: string, testName: string, column?: string): GenericTestNode {
  const found = [...graphToSearch.nodes.values()].find(
    (n): n is GenericTestNode =>
      n.resource_type === 'test' &&
      n.test_type === 'generic' &&
      n.attached_node === attached &&
      n.test_metadata.name === testName &&
      (column === undefined || n.column_name === column),
  );
  if (!found) throw new Error(`no ${testName} test on ${attached}`);
  return found;
}

describe('parsing the jaffle fixture', () => {
  it('finds every resource with dbt unique_ids', () => {
    const ids = [...graph.nodes.keys(), ...graph.sources.keys()];
    expect(ids).toEqual(
      expect.arrayContaining([
        'model.jaffle.stg_orders',
        'model.jaffle.int_order_payments',
        'model.jaffle.orders',
        'seed.jaffle.raw_payments',
        'snapshot.jaffle.customers_snapshot',
        'snapshot.jaffle.orders_status_snapshot',
        'test.jaffle.assert_order_amount_not_negative',
        'unit_test.jaffle.customers.customers_sum_lifetime_value',
        'unit_test.jaffle.orders.orders_incremental_only_new',
        'source.jaffle.raw.top_up',
        // As dbt-core 1.10 names them: the full synthesized name, its metadata's md5 suffix.
        'test.jaffle.accepted_values_stg_orders_status__placed__shipped__completed__return_pending__returned.080fb20aad',
        'test.jaffle.relationships_stg_orders_customer_id__customer_id__ref_stg_customers_.430bf21500',
        'test.jaffle.accepted_values_customer_overview_tier__True__gold__silver__bronze.a337cbf73a',
      ]),
    );
    const generic = ids.filter((id) => /^test\.jaffle\.[A-Za-z0-9_]+\.[0-9a-f]{10}$/.test(id));
    expect(generic).toHaveLength(21);
  });

  it.each([
    ['model.jaffle.stg_orders', ['jaffle', 'staging', 'stg_orders'], 'staging/stg_orders.sql', 'models/staging/stg_orders.sql'],
    ['model.jaffle.daily_top_ups', ['jaffle', 'marts', 'finance', 'daily_top_ups'], 'marts/finance/daily_top_ups.sql', 'models/marts/finance/daily_top_ups.sql'],
    ['seed.jaffle.raw_payments', ['jaffle', 'raw_payments'], 'raw_payments.csv', 'seeds/raw_payments.csv'],
    ['snapshot.jaffle.customers_snapshot', ['jaffle', 'customers_snapshot', 'customers_snapshot'], 'customers_snapshot.sql', 'snapshots/customers_snapshot.sql'],
    ['test.jaffle.assert_order_amount_not_negative', ['jaffle', 'assert_order_amount_not_negative'], 'assert_order_amount_not_negative.sql', 'tests/assert_order_amount_not_negative.sql'],
  ])('%s has fqn, path and original_file_path as dbt writes them', (id, fqn, path, original) => {
    const found = node(id);
    expect(found.fqn).toEqual(fqn);
    expect(found.path).toBe(path);
    expect(found.original_file_path).toBe(original);
  });

  // dbt precedence: dbt_project.yml (least specific folder first) < properties YAML < config() in the file.
  it.each<[string, string, unknown]>([
    ['model.jaffle.stg_customers', 'materialized', 'view'],
    ['model.jaffle.stg_customers', 'schema', 'staging'],
    ['model.jaffle.stg_orders', 'tags', ['staging', 'orders', 'orders_in_file']],
    ['model.jaffle.int_payments_typed', 'materialized', 'ephemeral'],
    ['model.jaffle.order_status_counts', 'materialized', 'table'],
    ['model.jaffle.customers', 'materialized', 'view'],
    ['model.jaffle.customers', 'tags', ['marts', 'customers_yaml']],
    ['model.jaffle.customers', 'schema', 'marts'],
    ['model.jaffle.customer_overview', 'materialized', 'view'],
    ['model.jaffle.customer_overview', 'alias', 'customer_overview_v'],
    ['model.jaffle.customer_overview', 'tags', ['marts', 'overview']],
    ['model.jaffle.orders', 'materialized', 'incremental'],
    ['model.jaffle.orders', 'unique_key', 'order_id'],
    ['model.jaffle.orders', 'incremental_strategy', 'merge'],
    ['model.jaffle.orders', 'on_schema_change', 'append_new_columns'],
    ['model.jaffle.orders', 'partition_by', { field: 'order_date', data_type: 'date', granularity: 'day' }],
    ['model.jaffle.orders', 'cluster_by', ['customer_id']],
    ['model.jaffle.orders', 'require_partition_filter', false],
    ['model.jaffle.orders', 'labels', { domain: 'sales' }],
    ['model.jaffle.orders', 'incremental_predicates', ["DBT_INTERNAL_DEST.order_date >= now() + ((interval '1 day') * (-7))"]],
    ['model.jaffle.daily_top_ups', 'materialized', 'incremental'],
    ['model.jaffle.daily_top_ups', 'incremental_strategy', 'delete+insert'],
    ['model.jaffle.daily_top_ups', 'unique_key', ['top_up_date', 'channel']],
    ['model.jaffle.daily_top_ups', 'tags', ['marts', 'finance']],
    ['model.jaffle.top_up_events', 'incremental_strategy', 'append'],
    ['model.jaffle.top_up_events', 'on_schema_change', 'fail'],
    ['model.jaffle.top_ups_by_day', 'incremental_strategy', 'delete+insert'],
    ['model.jaffle.top_ups_by_day', 'partition_by', { field: 'top_up_date', data_type: 'date', granularity: 'day' }],
    ['model.jaffle.top_ups_by_day', 'cluster_by', ['channel']],
    ['seed.jaffle.raw_payments', 'schema', 'raw_seeds'],
    ['seed.jaffle.raw_payments', 'column_types', { id: 'integer', order_id: 'integer', amount: 'bigint' }],
    ['snapshot.jaffle.customers_snapshot', 'strategy', 'timestamp'],
    ['snapshot.jaffle.customers_snapshot', 'updated_at', 'updated_at'],
    ['snapshot.jaffle.customers_snapshot', 'hard_deletes', 'invalidate'],
    ['snapshot.jaffle.customers_snapshot', 'target_schema', 'snapshots'],
    ['snapshot.jaffle.orders_status_snapshot', 'strategy', 'check'],
    ['snapshot.jaffle.orders_status_snapshot', 'check_cols', ['status']],
    ['snapshot.jaffle.orders_status_snapshot', 'hard_deletes', 'new_record'],
    ['snapshot.jaffle.orders_status_snapshot', 'target_schema', null],
    ['snapshot.jaffle.orders_status_snapshot', 'schema', 'history'],
    ['test.jaffle.assert_order_amount_not_negative', 'severity', 'warn'],
  ])('%s: config %s', (id, key, expected) => {
    expect(node(id).config[key as never]).toEqual(expected);
  });

  it.each([
    ['model.jaffle.daily_top_ups', 'merge'],
    ['model.jaffle.top_up_events', 'merge'],
    ['model.jaffle.top_ups_by_day', 'insert_overwrite'],
  ])('%s picks the %s strategy when the target is BigQuery', (id, strategy) => {
    const bigquery = parseProject({ projectDir: JAFFLE_DIR, env: {}, target: { type: 'bigquery', schema: 'analytics', database: 'p' } });
    const found = bigquery.nodes.get(id);
    expect(found?.resource_type === 'model' && found.config.incremental_strategy).toBe(strategy);
  });

  it.each<[string, string, string | undefined, string, unknown]>([
    ['model.jaffle.customers', 'not_null', 'customer_id', 'store_failures', false],
    ['model.jaffle.customers', 'unique', 'customer_id', 'store_failures', true],
    ['model.jaffle.stg_orders', 'accepted_values', 'status', 'severity', 'warn'],
    ['model.jaffle.stg_orders', 'relationships', 'customer_id', 'where', "order_date >= '2024-01-01'"],
    ['model.jaffle.stg_payments', 'is_positive', 'amount', 'warn_if', '>10'],
    ['model.jaffle.stg_payments', 'is_positive', 'amount', 'error_if', '>100'],
    ['model.jaffle.stg_orders', 'unique', 'order_id', 'severity', 'error'],
    ['source.jaffle.raw.top_up', 'unique', 'top_up_id', 'severity', 'warn'],
  ])('%s %s(%s): config %s', (attached, testName, column, key, expected) => {
    expect(testOn(graph, attached, testName, column).config[key as never]).toEqual(expected);
  });

  it('names generic tests as dbt does, with metadata the executor can batch by', () => {
    const unique = testOn(graph, 'model.jaffle.stg_orders', 'unique', 'order_id');
    expect(unique.name).toBe('unique_stg_orders_order_id');
    expect(unique.unique_id).toMatch(/^test\.jaffle\.unique_stg_orders_order_id\.[0-9a-f]{10}$/);
    expect(unique.test_metadata).toEqual({
      name: 'unique',
      namespace: null,
      kwargs: { column_name: 'order_id', model: "{{ get_where_subquery(ref('stg_orders')) }}" },
    });
    expect(unique.file_key_name).toBe('models.stg_orders');
    const source = testOn(graph, 'source.jaffle.raw.customers', 'not_null', 'id');
    expect(source.name).toBe('source_not_null_raw_customers_id');
    expect(source.depends_on.nodes).toEqual(['source.jaffle.raw.customers']);
    const relationships = testOn(graph, 'model.jaffle.stg_orders', 'relationships');
    expect(relationships.depends_on.nodes).toEqual(['model.jaffle.stg_orders', 'model.jaffle.stg_customers']);
    expect(relationships.test_metadata.kwargs).toMatchObject({ to: "ref('stg_customers')", field: 'customer_id' });
    const custom = testOn(graph, 'model.jaffle.stg_payments', 'is_positive');
    expect(custom.depends_on.macros).toContain('macro.jaffle.test_is_positive');
  });

  it('records dependencies, with the line of each ref', () => {
    const orders = node('model.jaffle.orders');
    expect(orders.depends_on.nodes).toEqual(['model.jaffle.stg_orders', 'model.jaffle.int_order_payments']);
    expect(orders.refs.map((r) => [r.name, r.position.line])).toEqual([
      ['stg_orders', 12],
      ['int_order_payments', 16],
    ]);
    expect(node('model.jaffle.stg_payments').depends_on).toEqual({
      nodes: ['seed.jaffle.raw_payments'],
      macros: ['macro.dbt.type_numeric', 'macro.jaffle.cents_to_dollars'],
    });
    expect(node('snapshot.jaffle.orders_status_snapshot').depends_on.nodes).toEqual(['model.jaffle.stg_orders']);
    expect(graph.child_map.get('source.jaffle.raw.customers')).toEqual(
      expect.arrayContaining(['model.jaffle.stg_customers', 'snapshot.jaffle.customers_snapshot']),
    );
  });

  it('orders the graph parents first', () => {
    const position = new Map(graph.order.map((id, i) => [id, i]));
    expect(graph.order).toHaveLength(graph.nodes.size + graph.sources.size);
    for (const [id, parents] of graph.parent_map) {
      for (const parent of parents) expect(position.get(parent) as number).toBeLessThan(position.get(id) as number);
    }
  });

  it('reads sources with their freshness, inherited or switched off per table', () => {
    const customers = graph.sources.get('source.jaffle.raw.customers');
    expect(customers).toMatchObject({
      schema: 'raw',
      identifier: 'customers',
      loader: 'sp01-etl',
      loaded_at_field: '_loaded_at',
      freshness: { warn_after: { count: 12, period: 'hour' }, error_after: { count: 24, period: 'hour' }, filter: null },
    });
    expect(graph.sources.get('source.jaffle.raw.orders')?.freshness).toBeNull();
    expect(graph.sources.get('source.jaffle.raw.top_up')).toMatchObject({
      identifier: 'top_up_records',
      loaded_at_field: 'loaded_at',
      freshness: { warn_after: { count: 1, period: 'day' }, error_after: null },
      columns: { top_up_id: { name: 'top_up_id', description: '' } },
    });
  });

  it('renders where a source lives (schema, database, identifier) with var and env_var, as dbt does', () => {
    const dir = writeProject({
      'models/_sources.yml': [
        'version: 2',
        'sources:',
        '  - name: raw',
        `    schema: "{{ var('schema_prefix', env_var('PREFIX', '')) }}raw"`,
        `    database: "{{ env_var('WAREHOUSE_DB', 'sp01') }}"`,
        '    tables:',
        '      - name: top_up',
        `        identifier: "top_up{{ var('suffix', '') }}"`,
        '',
      ].join('\n'),
      'models/m.sql': "select * from {{ source('raw', 'top_up') }}\n",
    });
    const fromVars = parseProject({ projectDir: dir, env: {}, vars: { schema_prefix: 'dev_', suffix: '_v2' } });
    expect(fromVars.sources.get('source.demo.raw.top_up')).toMatchObject({ schema: 'dev_raw', database: 'sp01', identifier: 'top_up_v2' });
    const fromEnv = parseProject({ projectDir: dir, env: { PREFIX: 'ci_', WAREHOUSE_DB: 'other' } });
    expect(fromEnv.sources.get('source.demo.raw.top_up')).toMatchObject({ schema: 'ci_raw', database: 'other', identifier: 'top_up' });
  });

  it('keeps descriptions and columns from YAML', () => {
    const stgCustomers = node('model.jaffle.stg_customers');
    expect(stgCustomers.description).toBe('One row per customer.');
    expect(stgCustomers.patch_path).toBe('models/staging/_staging.yml');
    expect(stgCustomers.columns['customer_id']).toEqual({ name: 'customer_id', description: 'Primary key.', data_type: 'integer', meta: {}, tags: [], quote: null });
  });

  it('keeps a snapshot body and where it starts', () => {
    const snapshot = node('snapshot.jaffle.orders_status_snapshot');
    expect(snapshot.raw_code).toContain("select order_id, status, customer_id from {{ ref('stg_orders') }}");
    expect(snapshot.raw_code).not.toContain('endsnapshot');
    expect(snapshot.raw_code_line).toBe(1);
  });
});

describe('unit tests', () => {
  const customers = unitTest('unit_test.jaffle.customers.customers_sum_lifetime_value');
  const orders = unitTest('unit_test.jaffle.orders.orders_incremental_only_new');

  it('reads given inputs in every format', () => {
    expect(customers.model).toBe('customers');
    expect(customers.depends_on.nodes).toEqual(['model.jaffle.customers']);
    expect(customers.given.map((g) => [g.input, g.unique_id, g.format])).toEqual([
      ["ref('stg_customers')", 'model.jaffle.stg_customers', 'dict'],
      ["ref('orders')", 'model.jaffle.orders', 'csv'],
    ]);
    expect(customers.given[1]?.rows).toEqual([
      { order_id: 1, customer_id: 1, order_date: '2024-01-01', amount: 10 },
      { order_id: 2, customer_id: 1, order_date: '2024-01-05', amount: 15 },
    ]);
    expect(customers.given[0]?.column_types).toEqual({ customer_id: 'integer' });
    expect(orders.given.map((g) => [g.input, g.format])).toEqual([
      ["ref('stg_orders')", 'dict'],
      ["ref('int_order_payments')", 'sql'],
      ['this', 'dict'],
    ]);
    expect(orders.given[1]?.sql).toContain('select 2 as order_id');
  });

  it('reads expectations and overrides', () => {
    expect(customers.expect.rows).toEqual([
      { customer_id: 1, number_of_orders: 2, lifetime_value: 25 },
      { customer_id: 2, number_of_orders: 0, lifetime_value: null },
    ]);
    expect(orders.overrides.macros).toEqual({ is_incremental: true });
    expect(customers.description).toBe('Lifetime value adds up every order of a customer.');
  });

  it('reads fixture files from tests/fixtures', () => {
    const dir = writeProject({
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "select * from {{ ref('a') }}",
      'tests/fixtures/a_rows.csv': 'id\n1\n2\n',
      'tests/fixtures/b_expected.sql': 'select 1 as id union all select 2',
      'models/unit.yml': [
        'version: 2',
        'unit_tests:',
        '  - name: u',
        '    model: b',
        '    given:',
        "      - input: ref('a')",
        '        format: csv',
        '        fixture: a_rows',
        '    expect:',
        '      format: sql',
        '      fixture: b_expected',
        '',
      ].join('\n'),
    });
    const test = parseProject({ projectDir: dir }).nodes.get('unit_test.demo.b.u') as UnitTestNode;
    expect(test.given[0]?.rows).toEqual([{ id: 1 }, { id: 2 }]);
    expect(test.expect).toEqual({ format: 'sql', rows: null, sql: 'select 1 as id union all select 2' });
  });

  it.each([
    ['a model that does not exist', "model: nope\n    given: []", "unit test 'u' tests model 'nope', which does not exist"],
    ['an input the model does not read', "model: b\n    given:\n      - input: ref('c')\n        rows: []", "ref('c') is not an input of model 'b'"],
    ['rows that are not mappings', "model: b\n    given:\n      - input: ref('a')\n        rows: [1, 2]", 'fixture rows must be a list of mappings'],
  ])('rejects %s, naming the YAML file and line', (_name, body, message) => {
    const dir = writeProject({
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "select * from {{ ref('a') }}",
      'models/c.sql': 'select 2 as id',
      'models/unit.yml': `version: 2\nunit_tests:\n  - name: u\n    ${body}\n    expect:\n      rows: []\n`,
    });
    expect(() => parseProject({ projectDir: dir })).toThrow(message);
    expect(() => parseProject({ projectDir: dir })).toThrow(/^models\/unit\.yml:\d+: /);
  });
});

describe('config precedence', () => {
  it('takes config() over YAML over dbt_project.yml, with tags and meta accumulating', () => {
    const dir = writeProject({
      'dbt_project.yml': [
        'name: demo',
        'models:',
        '  +tags: [everywhere]',
        '  demo:',
        '    +materialized: table',
        '    +schema: project',
        '    +meta: {owner: project, team: data}',
        '    marts:',
        '      +materialized: view',
        '      +tags: [marts]',
        '      m:',
        '        +alias: from_project',
        '',
      ].join('\n'),
      'models/marts/m.sql': "{{ config(schema='in_file', tags=['in_file'], meta={'owner': 'file'}) }}\nselect 1",
      'models/marts/schema.yml': 'version: 2\nmodels:\n  - name: m\n    config:\n      materialized: incremental\n      schema: yaml\n      tags: [yaml]\n',
      'models/other.sql': 'select 2',
    });
    const demo = parseProject({ projectDir: dir });
    const m = demo.nodes.get('model.demo.m');
    expect(m?.config).toMatchObject({
      materialized: 'incremental',
      schema: 'in_file',
      alias: 'from_project',
      tags: ['everywhere', 'marts', 'yaml', 'in_file'],
      meta: { owner: 'file', team: 'data' },
    });
    expect(demo.nodes.get('model.demo.other')?.config).toMatchObject({ materialized: 'table', schema: 'project', tags: ['everywhere'] });
  });

  it('lets --vars override project vars, and a var() decide config', () => {
    const files = {
      'dbt_project.yml': "name: demo\nvars:\n  mat: view\n  demo:\n    scoped: 'yes'\n",
      'models/m.sql': "{{ config(materialized=var('mat')) }}\nselect '{{ var('scoped') }}'",
    };
    const dir = writeProject(files);
    expect(materialized(parseProject({ projectDir: dir }), 'model.demo.m')).toBe('view');
    expect(materialized(parseProject({ projectDir: dir, vars: { mat: 'table' } }), 'model.demo.m')).toBe('table');
    expect(parseProject({ projectDir: dir }).vars).toEqual({ mat: 'view', scoped: 'yes' });
  });

  it('renders Jinja in dbt_project.yml configs, not in hooks', () => {
    const dir = writeProject({
      'dbt_project.yml': [
        'name: demo',
        'models:',
        '  demo:',
        `    +schema: "{{ env_var('DEMO_SCHEMA', 'fallback') }}"`,
        `    +enabled: "{{ target.name != 'ci' }}"`,
        `    +post-hook: "grant select on {{ this }} to reader"`,
        '',
      ].join('\n'),
      'models/m.sql': 'select 1',
    });
    const dev = parseProject({ projectDir: dir, env: { DEMO_SCHEMA: 'mine' } });
    expect(dev.nodes.get('model.demo.m')?.config).toMatchObject({ schema: 'mine', enabled: true, post_hook: [{ sql: 'grant select on {{ this }} to reader', transaction: true }] });
    expect(parseProject({ projectDir: dir, env: {}, target: { name: 'ci' } }).disabled.has('model.demo.m')).toBe(true);
  });

  it.each([
    ['an unknown materialization', "{{ config(materialized='materialized_view') }}", "config 'materialized' must be one of 'view', 'table', 'incremental', 'ephemeral'"],
    ['an unknown strategy', "{{ config(materialized='incremental', incremental_strategy='upsert') }}", "config 'incremental_strategy' must be one of"],
    ['a bad on_schema_change', "{{ config(on_schema_change='drop') }}", "config 'on_schema_change' must be one of"],
    ['a partition_by without field', "{{ config(partition_by={'data_type': 'date'}) }}", "config 'partition_by' must be a mapping with a 'field'"],
  ])('rejects %s at the line of the config() call', (_name, configCall, message) => {
    const dir = writeProject({ 'models/m.sql': `-- header\n${configCall}\nselect 1` });
    expect(() => parseProject({ projectDir: dir })).toThrow(`models/m.sql:2: ${message}`);
  });

  it.each([
    ['timestamp without updated_at', "unique_key='id', strategy='timestamp'", 'needs config updated_at'],
    ['check without check_cols', "unique_key='id', strategy='check'", 'needs check_cols'],
    ['no strategy', "unique_key='id'", "needs config strategy 'timestamp' or 'check'"],
    ['no unique_key', "strategy='check', check_cols='all'", 'needs config unique_key'],
  ])('rejects a snapshot with %s', (_name, config, message) => {
    const dir = writeProject({ 'snapshots/s.sql': `{% snapshot s %}\n{{ config(${config}) }}\nselect 1 as id\n{% endsnapshot %}` });
    expect(() => parseProject({ projectDir: dir })).toThrow(message);
  });
});

describe('disabled nodes', () => {
  it('keeps them out of the graph but known', () => {
    const dir = writeProject({
      'models/off.sql': '{{ config(enabled=false) }}\nselect 1',
      'models/on.sql': 'select 1',
    });
    const parsed = parseProject({ projectDir: dir });
    expect([...parsed.nodes.keys()]).toEqual(['model.demo.on']);
    expect([...parsed.disabled.keys()]).toEqual(['model.demo.off']);
  });
});

describe('--vars', () => {
  it.each<[string, Record<string, unknown>]>([
    ['{start_date: 2024-06-01, days: 3}', { start_date: '2024-06-01', days: 3 }],
    ['{"a": [1, 2]}', { a: [1, 2] }],
    ['', {}],
  ])('reads %j', (text, vars) => {
    expect(parseVarsArgument(text)).toEqual(vars);
  });

  it('rejects what is not a mapping', () => {
    expect(() => parseVarsArgument('[1, 2]')).toThrow('--vars must be a YAML mapping');
    expect(() => parseVarsArgument('{a: [')).toThrow('invalid YAML');
  });
});
