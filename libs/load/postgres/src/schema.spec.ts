import { DOMAINS, REPORT_CONTRACTS, warehouseColumns, type ColumnType } from '@sp01/contracts';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { fileLedger, rawTables, rejectedRows } from './schema.js';

// How each contract type is spelled by drizzle (and so in the generated migrations).
const SQL_TYPES: Record<ColumnType, string> = {
  text: 'text',
  integer: 'integer',
  'numeric(12,2)': 'numeric(12, 2)',
  'numeric(6,2)': 'numeric(6, 2)',
  timestamp: 'timestamp with time zone',
  date: 'date',
};

describe('drizzle schema', () => {
  it.each(DOMAINS)('raw.%s has exactly the columns warehouseColumns() names, in order', (domain) => {
    const table = getTableConfig(rawTables[domain]);
    expect(table.schema).toBe('raw');
    expect(table.name).toBe(domain);
    expect(table.columns.map((c) => ({ name: c.name, type: c.getSQLType(), nullable: !c.notNull }))).toEqual(
      warehouseColumns(REPORT_CONTRACTS[domain]).map((c) => ({ name: c.name, type: SQL_TYPES[c.type], nullable: c.nullable })),
    );
  });

  it.each(DOMAINS)('raw.%s has the natural key as its primary key', (domain) => {
    const table = getTableConfig(rawTables[domain]);
    const key = [
      ...table.columns.filter((c) => c.primary).map((c) => c.name),
      ...table.primaryKeys.flatMap((pk) => pk.columns.map((c) => c.name)),
    ];
    expect(key).toEqual(REPORT_CONTRACTS[domain].naturalKey);
  });

  it('keeps rejects and the ledger beside the domain tables', () => {
    expect(getTableConfig(rejectedRows).columns.map((c) => c.name)).toEqual([
      'id', 'domain', 'source_file', 'sheet', 'row_number', 'column_name', 'raw_value', 'reason', 'run_id', 'rejected_at',
    ]);
    expect(getTableConfig(rejectedRows).indexes.map((i) => i.config.columns.map((c) => ('name' in c ? c.name : '?')))).toEqual([
      ['source_file'],
    ]);
    expect(getTableConfig(fileLedger).columns.map((c) => c.name)).toEqual([
      'source_file', 'file_name', 'source_uri', 'domain', 'checksum', 'size_bytes', 'modified_at', 'status',
      'rows_read', 'rows_loaded', 'rows_rejected', 'error', 'run_id', 'first_seen_at', 'updated_at',
    ]);
  });
});
