import { describe, expect, it } from 'vitest';
import type { PartitionBy } from '@sp01/modeling-compiler';
import type { TablePartitioning } from './partitioning.js';
import { isReplaceable, partitionByClause, partitionExpression, partitionExpressionWrapped } from './partitioning.js';
import { fieldDataType, loadField } from './type-mapping.js';

describe('seed column types to load-job fields', () => {
  it.each([
    ['integer', { type: 'INT64' }],
    ['bigint', { type: 'INT64' }],
    ['INT64', { type: 'INT64' }],
    ['float', { type: 'FLOAT64' }],
    ['boolean', { type: 'BOOL' }],
    ['text', { type: 'STRING' }],
    ['varchar(20)', { type: 'STRING', maxLength: '20' }],
    ['numeric(12, 2)', { type: 'NUMERIC', precision: '12', scale: '2' }],
    ['decimal(38)', { type: 'NUMERIC', precision: '38' }],
    ['timestamp', { type: 'TIMESTAMP' }],
    ['date', { type: 'DATE' }],
  ])('%s', (type, expected) => {
    expect(loadField('c', type)).toEqual({ name: 'c', mode: 'NULLABLE', ...expected });
  });

  it('refuses what a load schema cannot say', () => {
    expect(() => loadField('c', 'array<string>')).toThrow(/cannot be loaded/);
  });
});

describe('REST fields to GoogleSQL types', () => {
  it.each([
    [{ type: 'INTEGER' }, 'INT64'],
    [{ type: 'FLOAT' }, 'FLOAT64'],
    [{ type: 'BOOLEAN' }, 'BOOL'],
    [{ type: 'STRING', maxLength: '10' }, 'STRING(10)'],
    [{ type: 'BIGNUMERIC', precision: '40', scale: '5' }, 'BIGNUMERIC(40, 5)'],
    [{ type: 'DATE', mode: 'REPEATED' }, 'ARRAY<DATE>'],
    [{ type: 'RECORD', mode: 'REPEATED', fields: [{ name: 'a', type: 'INTEGER' }] }, 'ARRAY<STRUCT<a INT64>>'],
  ])('%j is %s', (field, type) => {
    expect(fieldDataType(field)).toBe(type);
  });
});

describe('partition_by', () => {
  const day = (data_type: PartitionBy['data_type'], granularity: PartitionBy['granularity'] = 'day'): PartitionBy => ({ field: 'd', data_type, granularity });

  it.each([
    [day('date'), 'd', 'date(d)', 'partition by d'],
    [day('date', 'month'), 'date_trunc(d, month)', 'date_trunc(d, month)', 'partition by date_trunc(d, month)'],
    [day('timestamp'), 'timestamp_trunc(d, day)', 'timestamp_trunc(d, day)', 'partition by timestamp_trunc(d, day)'],
    [day('datetime', 'hour'), 'datetime_trunc(d, hour)', 'datetime_trunc(d, hour)', 'partition by datetime_trunc(d, hour)'],
    [{ ...day('int64'), range: { start: 0, end: 100, interval: 10 } }, 'd', 'd', 'partition by range_bucket(d, generate_array(0, 100, 10))'],
  ])('%j', (partition, expression, wrapped, clause) => {
    expect(partitionExpression(partition)).toBe(expression);
    expect(partitionExpressionWrapped(partition)).toBe(wrapped);
    expect(partitionByClause(partition)).toBe(clause);
  });

  it('needs a range for int64', () => {
    expect(() => partitionByClause(day('int64'))).toThrow(/needs range/);
  });

  it.each<[string, TablePartitioning, PartitionBy | null, string[] | null, boolean]>([
    ['same day partitioning and clustering', { timePartitioning: { type: 'DAY', field: 'd' }, clustering: { fields: ['c'] } }, day('date'), ['c'], true],
    ['other granularity', { timePartitioning: { type: 'MONTH', field: 'd' } }, day('date'), null, false],
    ['other field', { timePartitioning: { type: 'DAY', field: 'e' } }, day('date'), null, false],
    ['partitioning added', {}, day('date'), null, false],
    ['partitioning removed', { timePartitioning: { type: 'DAY', field: 'd' } }, null, null, false],
    ['clustering changed', { clustering: { fields: ['c'] } }, null, ['c', 'e'], false],
    ['same range', { rangePartitioning: { field: 'd', range: { start: '0', end: '100', interval: '10' } } }, { ...day('int64'), range: { start: 0, end: 100, interval: 10 } }, null, true],
    ['plain table stays plain', {}, null, null, true],
  ])('is replaceable: %s', (_name, existing, partition, cluster, expected) => {
    expect(isReplaceable(existing, partition, cluster)).toBe(expected);
  });
});
