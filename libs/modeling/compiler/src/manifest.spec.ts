import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bigqueryDialect } from './bigquery-dialect.js';
import { JAFFLE_DIR } from './__fixtures__/project-files.js';
import { compileGraph } from './compile.js';
import type { Target } from './graph.js';
import { buildManifest, MANIFEST_SCHEMA_VERSION, writeManifest } from './manifest.js';
import { parseProject } from './parse.js';

const graph = parseProject({ projectDir: JAFFLE_DIR, env: {} });
const target: Target = { name: 'prod', type: 'bigquery', schema: 'analytics', database: 'sp01-warehouse' };
const compiled = compileGraph(graph, { dialect: bigqueryDialect, target, env: {} });
const generatedAt = new Date('2025-01-02T03:04:05.000Z');
const manifest = buildManifest(graph, { dialect: bigqueryDialect, target, compiled: compiled.nodes, invocationId: 'inv-1', generatedAt });

describe('manifest.json', () => {
  it('carries dbt metadata', () => {
    expect(manifest.metadata).toMatchObject({
      dbt_schema_version: MANIFEST_SCHEMA_VERSION,
      generated_at: '2025-01-02T03:04:05.000Z',
      invocation_id: 'inv-1',
      adapter_type: 'bigquery',
      project_name: 'jaffle',
    });
    expect(MANIFEST_SCHEMA_VERSION).toBe('https://schemas.getdbt.com/dbt/manifest/v12.json');
  });

  it('puts each resource under the key dbt uses', () => {
    const types = (record: Record<string, Record<string, unknown>>) => [...new Set(Object.values(record).map((n) => n['resource_type']))].sort();
    expect(types(manifest.nodes)).toEqual(['model', 'seed', 'snapshot', 'test']);
    expect(Object.keys(manifest.sources).sort()).toEqual(['source.jaffle.raw.customers', 'source.jaffle.raw.orders', 'source.jaffle.raw.top_up']);
    expect(Object.keys(manifest.unit_tests).sort()).toEqual([
      'unit_test.jaffle.customers.customers_sum_lifetime_value',
      'unit_test.jaffle.orders.orders_incremental_only_new',
    ]);
    expect(Object.keys(manifest.nodes)).toHaveLength(graph.nodes.size - 2);
  });

  it('describes a model as tools reading manifests expect', () => {
    const orders = manifest.nodes['model.jaffle.orders'] as Record<string, unknown>;
    expect(orders).toMatchObject({
      unique_id: 'model.jaffle.orders',
      resource_type: 'model',
      name: 'orders',
      package_name: 'jaffle',
      path: 'marts/orders.sql',
      original_file_path: 'models/marts/orders.sql',
      fqn: ['jaffle', 'marts', 'orders'],
      database: 'sp01-warehouse',
      schema: 'analytics_marts',
      alias: 'orders',
      relation_name: '`sp01-warehouse`.`analytics_marts`.`orders`',
      description: 'One row per order, with its payments.',
      tags: ['marts'],
      patch_path: 'jaffle://models/marts/_marts.yml',
      language: 'sql',
      refs: [
        { name: 'stg_orders', package: null, version: null },
        { name: 'int_order_payments', package: null, version: null },
      ],
      sources: [],
      depends_on: { nodes: ['model.jaffle.stg_orders', 'model.jaffle.int_order_payments'], macros: ['macro.dbt.current_timestamp', 'macro.dbt.dateadd'] },
      compiled: true,
      compiled_path: 'target/compiled/jaffle/models/marts/orders.sql',
      extra_ctes_injected: true,
      config: {
        materialized: 'incremental',
        unique_key: 'order_id',
        incremental_strategy: 'merge',
        partition_by: { field: 'order_date', data_type: 'date', granularity: 'day' },
        'pre-hook': [],
        'post-hook': [],
      },
      columns: { order_id: { name: 'order_id', description: '', data_type: null, meta: {}, tags: [], quote: null, constraints: [], granularity: null } },
    });
    expect(orders['raw_code']).toContain("{{ ref('stg_orders') }}");
    expect(orders['compiled_code']).toContain('__dbt__cte__int_order_payments as (');
    expect((orders['extra_ctes'] as { id: string }[]).map((c) => c.id)).toEqual(['model.jaffle.int_payments_typed', 'model.jaffle.int_order_payments']);
    expect(orders['config']).not.toHaveProperty('pre_hook');
  });

  it('describes tests, sources and ephemeral models', () => {
    const test = Object.values(manifest.nodes).find((n) => n['name'] === 'unique_stg_orders_order_id') as Record<string, unknown>;
    expect(test).toMatchObject({
      resource_type: 'test',
      column_name: 'order_id',
      attached_node: 'model.jaffle.stg_orders',
      file_key_name: 'models.stg_orders',
      test_metadata: { name: 'unique', kwargs: { column_name: 'order_id' } },
      config: { severity: 'ERROR', materialized: 'test' },
      relation_name: null,
      compiled_path: 'target/compiled/jaffle/models/staging/_staging.yml/unique_stg_orders_order_id.sql',
    });
    expect(manifest.sources['source.jaffle.raw.top_up']).toMatchObject({
      identifier: 'top_up_records',
      schema: 'raw',
      database: 'sp01-warehouse',
      relation_name: '`sp01-warehouse`.`raw`.`top_up_records`',
      loaded_at_field: 'loaded_at',
      freshness: { warn_after: { count: 1, period: 'day' }, error_after: { count: null, period: null }, filter: null },
    });
    expect(manifest.nodes['model.jaffle.int_order_payments']).toMatchObject({ relation_name: null, config: { materialized: 'ephemeral' } });
    expect(manifest.nodes['seed.jaffle.raw_payments']).toMatchObject({ root_path: graph.project.root, config: { column_types: { amount: 'bigint' } } });
    expect(manifest.macros['macro.jaffle.cents_to_dollars']).toMatchObject({ resource_type: 'macro', original_file_path: 'macros/cents_to_dollars.sql' });
    expect(manifest.macros['macro.dbt.date_trunc']).toMatchObject({ package_name: 'dbt' });
  });

  it('has parent and child maps that mirror each other', () => {
    expect(Object.keys(manifest.parent_map).sort()).toEqual(Object.keys(manifest.child_map).sort());
    for (const [id, parents] of Object.entries(manifest.parent_map)) {
      for (const parent of parents) expect(manifest.child_map[parent]).toContain(id);
    }
    expect(manifest.parent_map['model.jaffle.customers']).toEqual(['model.jaffle.orders', 'model.jaffle.stg_customers']);
    expect(manifest.child_map['source.jaffle.raw.top_up']).toEqual(expect.arrayContaining(['model.jaffle.stg_top_ups']));
  });

  it('leaves compiled_code out when nothing was compiled', () => {
    const parsedOnly = buildManifest(graph, { dialect: bigqueryDialect, target });
    expect(parsedOnly.nodes['model.jaffle.orders']).toMatchObject({ compiled: false, compiled_path: null });
    expect(parsedOnly.nodes['model.jaffle.orders']).not.toHaveProperty('compiled_code');
  });

  it('is written as JSON to target/manifest.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'manifest-'));
    try {
      const path = writeManifest(join(dir, 'target'), manifest);
      expect(path).toBe(join(dir, 'target', 'manifest.json'));
      expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(JSON.parse(JSON.stringify(manifest)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
