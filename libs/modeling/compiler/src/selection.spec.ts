import { describe, expect, it } from 'vitest';
import { JAFFLE_DIR } from './__fixtures__/project-files.js';
import type { UniqueId } from './graph.js';
import { parseProject } from './parse.js';
import type { IndirectSelection } from './selection.js';
import { fnmatch, parseSelector, selectNodes } from './selection.js';

const graph = parseProject({ projectDir: JAFFLE_DIR, env: {} });

/** `model:orders`, `source:raw.orders`, `test:unique_stg_orders_order_id` … sorted. */
function labels(ids: Iterable<UniqueId>, options: { tests?: boolean } = {}): string[] {
  const out: string[] = [];
  for (const id of ids) {
    const source = graph.sources.get(id);
    if (source) {
      out.push(`source:${source.source_name}.${source.name}`);
      continue;
    }
    const node = graph.nodes.get(id);
    if (!node) throw new Error(`selected ${id}, which is not in the graph`);
    const isTest = node.resource_type === 'test' || node.resource_type === 'unit_test';
    if (isTest && !options.tests) continue;
    out.push(`${node.resource_type}:${node.name}`);
  }
  return out.sort();
}

const FINANCE = ['model:daily_top_ups', 'model:top_up_events', 'model:top_ups_by_day'];
const STAGING = ['model:stg_customers', 'model:stg_orders', 'model:stg_payments', 'model:stg_top_ups'];
const RAW = ['source:raw.customers', 'source:raw.orders', 'source:raw.top_up'];
const ORDERS_UPSTREAM = ['model:int_order_payments', 'model:int_payments_typed', 'model:orders', 'model:stg_orders', 'model:stg_payments', 'seed:raw_payments', 'source:raw.orders'];

describe('selecting nodes with dbt selectors', () => {
  it.each<[string, string[], string[], string[]]>([
    ['a model by name', ['stg_orders'], [], ['model:stg_orders']],
    ['all ancestors', ['+orders'], [], ORDERS_UPSTREAM],
    ['all descendants', ['orders+'], [], ['model:customer_overview', 'model:customers', 'model:order_status_counts', 'model:orders']],
    ['ancestors one level up', ['1+orders'], [], ['model:int_order_payments', 'model:orders', 'model:stg_orders']],
    ['descendants one level down', ['orders+1'], [], ['model:customers', 'model:order_status_counts', 'model:orders']],
    [
      'descendants and all their ancestors (@)',
      ['@customers'],
      [],
      [...ORDERS_UPSTREAM, 'model:customer_overview', 'model:customers', 'model:stg_customers', 'source:raw.customers'].sort(),
    ],
    ['a tag', ['tag:finance'], [], FINANCE],
    ['a folder by path', ['path:models/marts/finance'], [], FINANCE],
    ['a folder by path, sources declared there included', ['path:models/staging'], [], [...STAGING, ...RAW].sort()],
    ['a file by name', ['file:orders.sql'], [], ['model:orders']],
    ['a file by stem', ['file:stg_orders'], [], ['model:stg_orders']],
    ['a config value', ['config.materialized:ephemeral'], [], ['model:int_order_payments', 'model:int_payments_typed']],
    ['a config value set in the file', ['config.materialized:incremental'], [], [...FINANCE, 'model:orders'].sort()],
    ['a list-valued config', ['config.cluster_by:customer_id'], [], ['model:orders']],
    ['a resource type', ['resource_type:snapshot'], [], ['snapshot:customers_snapshot', 'snapshot:orders_status_snapshot']],
    ['a source and its descendants', ['source:raw.top_up+'], [], ['model:stg_top_ups', ...FINANCE, 'source:raw.top_up'].sort()],
    ['every table of a source', ['source:raw'], [], RAW],
    ['an fqn with a wildcard', ['jaffle.marts.finance.*'], [], FINANCE],
    ['an fqn without the package', ['marts.finance'], [], FINANCE],
    ['a folder by fqn, without its sources', ['staging'], [], STAGING],
    ['a name wildcard', ['stg_*'], [], STAGING],
    ['a union (space)', ['stg_orders stg_customers'], [], ['model:stg_customers', 'model:stg_orders']],
    ['a union (several --select values)', ['stg_orders', 'resource_type:seed'], [], ['model:stg_orders', 'seed:raw_payments']],
    ['an intersection (comma)', ['+customers,tag:staging'], [], ['model:stg_customers', 'model:stg_orders', 'model:stg_payments']],
    ['an intersection of tag and config', ['tag:staging,config.materialized:view'], [], STAGING],
    ['with --exclude', ['tag:marts'], ['customers+'], [...FINANCE, 'model:order_status_counts', 'model:orders'].sort()],
    ['the folder default materialization', ['config.materialized:table'], [], ['model:order_status_counts']],
    ['with a space-separated --exclude', ['tag:staging'], ['stg_orders stg_top_ups'], ['model:stg_customers', 'model:stg_payments']],
  ])('%s: -s %j --exclude %j', (_name, select, exclude, expected) => {
    expect(labels(selectNodes(graph, { select, exclude }))).toEqual(expected);
  });

  it('selects everything, sources included, without --select', () => {
    expect(selectNodes(graph).size).toBe(graph.nodes.size + graph.sources.size);
    expect(selectNodes(graph, { select: [''] }).size).toBe(graph.nodes.size + graph.sources.size);
  });
});

describe('tests come along with the nodes they test', () => {
  const STG_ORDERS_TESTS = [
    'test:accepted_values_stg_orders_status__placed__shipped__completed__return_pending__returned',
    'test:not_null_stg_orders_order_id',
    'test:unique_stg_orders_order_id',
  ];
  const RELATIONSHIPS = 'test:relationships_stg_orders_customer_id__customer_id__ref_stg_customers_';

  it.each<[IndirectSelection, string[], string[], string[]]>([
    ['eager', ['stg_orders'], [], ['model:stg_orders', RELATIONSHIPS, ...STG_ORDERS_TESTS].sort()],
    ['cautious', ['stg_orders'], [], ['model:stg_orders', ...STG_ORDERS_TESTS].sort()],
    [
      'cautious',
      ['stg_orders stg_customers'],
      [],
      ['model:stg_customers', 'model:stg_orders', RELATIONSHIPS, ...STG_ORDERS_TESTS, 'test:not_null_stg_customers_customer_id', 'test:unique_stg_customers_customer_id'].sort(),
    ],
    [
      'buildable',
      ['stg_customers+'],
      [],
      [
        'model:customer_overview',
        'model:customers',
        'model:stg_customers',
        RELATIONSHIPS,
        'test:accepted_values_customer_overview_tier__True__gold__silver__bronze',
        'test:not_null_customers_customer_id',
        'test:not_null_stg_customers_customer_id',
        'test:unique_customers_customer_id',
        'test:unique_stg_customers_customer_id',
        'unit_test:customers_sum_lifetime_value',
      ].sort(),
    ],
    ['empty', ['stg_orders'], [], ['model:stg_orders']],
    ['eager', ['stg_orders'], ['test_name:accepted_values'], ['model:stg_orders', RELATIONSHIPS, 'test:not_null_stg_orders_order_id', 'test:unique_stg_orders_order_id'].sort()],
    ['eager', ['customers'], [], ['model:customers', 'test:not_null_customers_customer_id', 'test:unique_customers_customer_id', 'unit_test:customers_sum_lifetime_value']],
    ['eager', ['test_type:unit'], [], ['unit_test:customers_sum_lifetime_value', 'unit_test:orders_incremental_only_new']],
    ['eager', ['test_type:singular'], [], ['test:assert_order_amount_not_negative']],
    ['eager', ['test_name:relationships'], [], [RELATIONSHIPS]],
  ])('%s: -s %j --exclude %j', (mode, select, exclude, expected) => {
    expect(labels(selectNodes(graph, { select, exclude, indirectSelection: mode }), { tests: true })).toEqual(expected);
  });

  it('drops the tests of an excluded model, even those it shares', () => {
    const selected = labels(selectNodes(graph, { select: ['tag:staging'], exclude: ['stg_orders'] }), { tests: true });
    expect(selected.filter((label) => label.includes('stg_orders'))).toEqual([]);
    expect(selected).toContain('test:unique_stg_customers_customer_id');
  });
});

describe('selector grammar', () => {
  it('parses graph operators, depths and methods', () => {
    expect(parseSelector('2+config.materialized:table+3')).toMatchObject({
      method: 'config',
      methodArguments: ['materialized'],
      value: 'table',
      parents: true,
      parentsDepth: 2,
      children: true,
      childrenDepth: 3,
      childrensParents: false,
    });
    expect(parseSelector('@models/marts')).toMatchObject({ method: 'path', value: 'models/marts', childrensParents: true });
    expect(parseSelector('orders.sql')).toMatchObject({ method: 'file', value: 'orders.sql' });
  });

  it.each([
    ['@+orders', "'@' and a leading '+' cannot be combined"],
    ['state:modified', "the 'state:' selector method is not supported"],
    ['colour:red', "unknown selector method 'colour'"],
    ['config:table', 'write config.<key>:<value>'],
    ['+', "cannot parse selector '+'"],
  ])('rejects %s', (selector, message) => {
    expect(() => selectNodes(graph, { select: [selector] })).toThrow(message);
  });

  it.each([
    ['stg_orders', 'stg_*', true],
    ['stg_orders', 'stg_?rders', true],
    ['int_orders', 'stg_*', false],
    ['a.b', 'a?b', true],
    ['stg_orders', 'stg_[ot]rders', true],
    ['stg_orders', 'stg_[!o]rders', false],
    ['x+y', 'x+y', true],
  ])('fnmatch(%s, %s) is %s', (text, pattern, expected) => {
    expect(fnmatch(text, pattern)).toBe(expected);
  });
});
