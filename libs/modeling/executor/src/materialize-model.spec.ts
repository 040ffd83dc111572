import type { ModelNode } from '@sp01/modeling-compiler';
import { describe, expect, it } from 'vitest';
import type { ExistingRelation } from './adapter.js';
import { isIncrementalRun, schemaChangeFailure, schemaChanges, shouldFullRefresh, uniqueKeyList } from './materialize-model.js';

const model = (config: Partial<ModelNode['config']>) => ({ unique_id: 'model.p.m', config: { materialized: 'incremental', full_refresh: null, ...config } }) as ModelNode;
const table: ExistingRelation = { database: null, schema: 's', identifier: 'm', type: 'table' };
const view: ExistingRelation = { ...table, type: 'view' };

describe("is_incremental(): dbt's rule", () => {
  it.each([
    ['the table exists', model({}), table, false, true],
    ['no relation yet', model({}), null, false, false],
    ['the relation is a view', model({}), view, false, false],
    ['--full-refresh', model({}), table, true, false],
    ['full_refresh: false overrides the flag', model({ full_refresh: false }), table, true, true],
    ['full_refresh: true without the flag', model({ full_refresh: true }), table, false, false],
    ['not an incremental model', model({ materialized: 'table' }), table, false, false],
  ])('%s', (_, node, existing, flag, expected) => {
    expect(isIncrementalRun(node, existing, flag)).toBe(expected);
  });

  it('lets the model config decide a full refresh', () => {
    expect(shouldFullRefresh(model({ full_refresh: null }), true)).toBe(true);
    expect(shouldFullRefresh(model({ full_refresh: false }), true)).toBe(false);
  });

  it.each([
    [null, []],
    ['id', ['id']],
    [['a', 'b'], ['a', 'b']],
  ])('unique_key %j is %j', (key, list) => {
    expect(uniqueKeyList(key)).toEqual(list);
  });
});

describe('on_schema_change detection', () => {
  const target = [
    { name: 'id', data_type: 'integer' },
    { name: 'amount', data_type: 'numeric' },
    { name: 'legacy', data_type: 'text' },
  ];
  const source = [
    { name: 'ID', data_type: 'integer' },
    { name: 'amount', data_type: 'numeric(10,2)' },
    { name: 'channel', data_type: 'text' },
  ];
  it('finds added, removed and retyped columns, names compared case-insensitively', () => {
    expect(schemaChanges(source, target)).toEqual({
      source_not_in_target: [{ name: 'channel', data_type: 'text' }],
      target_not_in_source: [{ name: 'legacy', data_type: 'text' }],
      new_target_types: [{ column_name: 'amount', new_type: 'numeric(10,2)' }],
    });
  });

  it("words the failure as dbt does", () => {
    const message = schemaChangeFailure(model({}), schemaChanges(source, target));
    expect(message).toContain('The source and target schemas on this incremental model are out of sync!');
    expect(message).toContain('Source columns not in target: [channel]');
    expect(message).toContain('Target columns not in source: [legacy]');
    expect(message).toContain('New column types: [amount numeric(10,2)]');
  });
});
