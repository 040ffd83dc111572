import { DOMAINS, REPORT_CONTRACTS } from '@sp01/contracts';
import { describe, expect, it } from 'vitest';
import { expectGolden } from './__fixtures__/golden.js';
import { buildLedgerMerge, buildLedgerQuery, buildLoadScript, scriptParameters } from './load-script.js';

const names = (domain: string) => ({
  dataset: 'sp01_raw',
  stageTable: `_stage_${domain}_20250325t120000z_a1b2c3_0123456789ab`,
  rejectStageTable: `_stage_${domain}_20250325t120000z_a1b2c3_0123456789ab_rejects`,
});

/** Top-level statements of a script, comments dropped, in order. */
const statements = (sql: string) =>
  sql
    .replace(/--[^\n]*/g, '')
    .split(/;\s*\n/)
    .map((s) => s.trim().split(/\s+/).slice(0, 3).join(' '))
    .filter((s) => s !== '');

describe('golden', () => {
  it.each(DOMAINS.map((d) => [d]))('load script of %s', (domain) => {
    expectGolden(`load-${domain}.sql`, buildLoadScript(domain, names(domain)));
  });

  it('ledger merge of a file outcome, and the ledger lookup', () => {
    expectGolden('file-outcome.sql', `${buildLedgerMerge('sp01_raw')}\n`);
    expectGolden('ledger-entry.sql', `${buildLedgerQuery('sp01_raw')}\n`);
  });
});

describe('load script', () => {
  it('runs everything inside one transaction, in this order', () => {
    expect(statements(buildLoadScript('top_up', names('top_up')))).toEqual([
      'DECLARE loaded_at TIMESTAMP',
      'DECLARE key_dates ARRAY<DATE>',
      'BEGIN TRANSACTION',
      'SET loaded_at =',
      'SET key_dates =',
      'MERGE `sp01_raw.top_up` AS',
      'DELETE FROM `sp01_raw.rejected_rows`',
      'INSERT INTO `sp01_raw.rejected_rows`',
      'MERGE `sp01_raw.file_ledger` AS',
      'COMMIT TRANSACTION',
    ]);
  });

  it.each([
    ['top_up', 't.topup_date IN UNNEST(key_dates)'],
    ['pre_deduction', 't.deducted_date IN UNNEST(key_dates)'],
    ['post_deduction', 't.settled_date IN UNNEST(key_dates)'],
    ['op_stats', 't.stat_date BETWEEN @partition_min AND @partition_max'],
  ] as const)('prunes the partitions %s reads with %s', (domain, predicate) => {
    const sql = buildLoadScript(domain, names(domain));
    expect(sql).toContain(`  AND ${predicate}\n`);
    expect(sql.includes('key_dates')).toBe(!REPORT_CONTRACTS[domain].naturalKey.includes('stat_date'));
  });

  it('keeps the last row of a key and lets the newest export win, ties to the greater file id', () => {
    const sql = buildLoadScript('op_stats', names('op_stats'));
    expect(sql).toContain('QUALIFY ROW_NUMBER() OVER (PARTITION BY stat_date, channel_id ORDER BY _source_row DESC) = 1');
    expect(sql).toContain('ON t.stat_date = s.stat_date AND t.channel_id = s.channel_id\n');
    expect(sql).toContain(
      'WHEN MATCHED AND (\n  t._source_modified_at < @source_modified_at\n  OR (t._source_modified_at = @source_modified_at AND t._source_file <= @source_file)\n) THEN UPDATE SET',
    );
    // The key is never updated: it is what matched.
    expect(sql).not.toMatch(/^ {2}(stat_date|channel_id) = /m);
  });

  it('without good rows only replaces rejects and writes the ledger; without rejects it only deletes old ones', () => {
    const rejectsOnly = buildLoadScript('top_up', { dataset: 'd', rejectStageTable: 'r' });
    expect(statements(rejectsOnly)).toEqual([
      'DECLARE loaded_at TIMESTAMP',
      'BEGIN TRANSACTION',
      'SET loaded_at =',
      'DELETE FROM `d.rejected_rows`',
      'INSERT INTO `d.rejected_rows`',
      'MERGE `d.file_ledger` AS',
      'COMMIT TRANSACTION',
    ]);
    const rowsOnly = buildLoadScript('top_up', { dataset: 'd', stageTable: 's' });
    expect(rowsOnly).toContain('DELETE FROM `d.rejected_rows` WHERE source_file = @source_file;');
    expect(rowsOnly).not.toContain('INSERT INTO `d.rejected_rows`');
  });

  it('lists the parameters a text uses, ignoring comments and string literals', () => {
    expect(scriptParameters("SELECT @a, '@not', @b -- @comment\nFROM t WHERE x = @a")).toEqual(['a', 'b']);
    expect(scriptParameters(buildLoadScript('op_stats', names('op_stats')))).toEqual([
      'partition_min', 'partition_max', 'source_modified_at', 'source_file', 'run_id', 'domain', 'file_name', 'source_uri',
      'checksum', 'size_bytes', 'status', 'rows_read', 'rows_loaded', 'rows_rejected', 'error',
    ]);
    expect(scriptParameters(buildLoadScript('top_up', names('top_up')))).not.toContain('partition_min');
  });
});
