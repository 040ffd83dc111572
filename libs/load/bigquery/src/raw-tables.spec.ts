import { DOMAINS, REPORT_CONTRACTS, warehouseColumns, type ColumnType, type WarehouseColumn } from '@sp01/contracts';
import { describe, expect, it } from 'vitest';
import { expectGolden } from './__fixtures__/golden.js';
import {
  bigQueryField,
  businessDateColumn,
  domainTableSpec,
  FILE_LEDGER_SPEC,
  rawLayerDdl,
  rawTableSpecs,
  REJECT_STAGE_FIELDS,
  REJECTED_ROWS_SPEC,
  stageFields,
  tableDdl,
  tableResource,
} from './raw-tables.js';

describe('column types', () => {
  it.each<[ColumnType, boolean, object]>([
    ['text', false, { type: 'STRING', mode: 'REQUIRED' }],
    ['text', true, { type: 'STRING', mode: 'NULLABLE' }],
    ['integer', false, { type: 'INT64', mode: 'REQUIRED' }],
    ['numeric(12,2)', false, { type: 'NUMERIC', precision: '12', scale: '2', mode: 'REQUIRED' }],
    ['numeric(6,2)', true, { type: 'NUMERIC', precision: '6', scale: '2', mode: 'NULLABLE' }],
    ['timestamp', false, { type: 'TIMESTAMP', mode: 'REQUIRED' }],
    ['date', true, { type: 'DATE', mode: 'NULLABLE' }],
  ])('%s (nullable: %s) is %o', (type, nullable, expected) => {
    const column: WarehouseColumn = { name: 'c', type, nullable };
    expect(bigQueryField(column)).toEqual({ name: 'c', ...expected });
  });
});

describe('raw tables', () => {
  it.each(DOMAINS.map((d) => [d]))('%s has exactly warehouseColumns(contract): names, order, types, nullability', (domain) => {
    const contract = REPORT_CONTRACTS[domain];
    const spec = domainTableSpec(domain);
    expect(spec.tableId).toBe(domain);
    expect(spec.fields.map(({ description: _, ...field }) => field)).toEqual(warehouseColumns(contract).map((c) => bigQueryField(c)));
    expect(spec.fields.every((f) => (f.description ?? '').length > 0)).toBe(true);
  });

  it.each([
    ['top_up', 'topup_date', ['order_id']],
    ['pre_deduction', 'deducted_date', ['deduction_id']],
    ['post_deduction', 'settled_date', ['deduction_id']],
    ['op_stats', 'stat_date', ['channel_id']],
  ] as const)('%s is partitioned by day on %s and clustered by %o', (domain, partition, clustering) => {
    expect(businessDateColumn(REPORT_CONTRACTS[domain])).toBe(partition);
    const resource = tableResource(domainTableSpec(domain), { app: 'sp01' });
    expect(resource.timePartitioning).toEqual({ type: 'DAY', field: partition });
    expect(resource.clustering).toEqual({ fields: clustering });
    expect(resource.labels).toEqual({ app: 'sp01' });
  });

  it('gives rejected_rows and file_ledger the columns of their PostgreSQL twins', () => {
    expect(REJECTED_ROWS_SPEC.fields.map((f) => f.name)).toEqual([
      'id', 'domain', 'source_file', 'sheet', 'row_number', 'column_name', 'raw_value', 'reason', 'run_id', 'rejected_at',
    ]);
    expect(FILE_LEDGER_SPEC.fields.map((f) => f.name)).toEqual([
      'source_file', 'file_name', 'source_uri', 'domain', 'checksum', 'size_bytes', 'modified_at', 'status', 'rows_read',
      'rows_loaded', 'rows_rejected', 'error', 'run_id', 'first_seen_at', 'updated_at',
    ]);
    const nullable = (spec: typeof REJECTED_ROWS_SPEC) => spec.fields.filter((f) => f.mode === 'NULLABLE').map((f) => f.name);
    expect(nullable(REJECTED_ROWS_SPEC)).toEqual(['column_name', 'raw_value']);
    expect(nullable(FILE_LEDGER_SPEC)).toEqual(['domain', 'error']);
    expect(tableResource(REJECTED_ROWS_SPEC, {}).timePartitioning).toEqual({ type: 'DAY', field: 'rejected_at' });
    expect(tableResource(REJECTED_ROWS_SPEC, {}).clustering).toEqual({ fields: ['source_file'] });
    expect(tableResource(FILE_LEDGER_SPEC, {})).not.toHaveProperty('timePartitioning');
  });

  it('stages the record columns plus sheet and row, and rejects with their position', () => {
    const staged = stageFields('op_stats').map((f) => f.name);
    expect(staged).toEqual([...REPORT_CONTRACTS.op_stats.columns.map((c) => c.name), '_source_sheet', '_source_row']);
    expect(stageFields('top_up').find((f) => f.name === 'topup_date')).toEqual({ name: 'topup_date', type: 'DATE', mode: 'REQUIRED' });
    expect(REJECT_STAGE_FIELDS.map((f) => f.name)).toEqual(['_reject_seq', 'sheet', 'row_number', 'column_name', 'raw_value', 'reason']);
  });

  it('renders DDL with quoted descriptions, defaults before NOT NULL, DATE() partitions of timestamps', () => {
    const ddl = tableDdl(REJECTED_ROWS_SPEC, 'sp01_raw', { app: 'sp01' });
    expect(ddl).toContain('CREATE TABLE IF NOT EXISTS `sp01_raw.rejected_rows` (');
    expect(ddl).toContain('  rejected_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP() NOT NULL OPTIONS');
    expect(ddl).toContain("OPTIONS (description = \"FARM_FINGERPRINT of the source file and the reject's position in it: stable across reloads\")");
    expect(ddl).toContain('PARTITION BY DATE(rejected_at)\nCLUSTER BY source_file');
    expect(tableDdl(domainTableSpec('top_up'), 'raw', {})).toContain('amount NUMERIC(12, 2) NOT NULL');
  });
});

describe('golden', () => {
  it('raw layer DDL', () => {
    expectGolden('raw-layer.sql', rawLayerDdl('sp01_raw', { app: 'sp01' }));
  });

  it('table resources migrate() sends, and the staging schemas', () => {
    const resources = {
      raw: Object.fromEntries(rawTableSpecs().map((spec) => [spec.tableId, tableResource(spec, { app: 'sp01' })])),
      stage: Object.fromEntries(DOMAINS.map((d) => [d, stageFields(d)])),
      rejectStage: REJECT_STAGE_FIELDS,
    };
    expectGolden('table-resources.json', `${JSON.stringify(resources, null, 2)}\n`);
  });
});
