import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ColumnType } from '@sp01/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DateRange, NdjsonSpool, stageRecord, stageReject, stageValue } from './stage-rows.js';

const col = (type: ColumnType) => ({ name: 'c', type, nullable: true });

describe('stage values', () => {
  it.each<[ColumnType, unknown, unknown]>([
    ['text', 'a "quoted"\ttab\nline', 'a "quoted"\ttab\nline'],
    ['text', 42, '42'],
    ['text', new Date('2025-03-25T04:00:00Z'), '2025-03-25T04:00:00.000Z'],
    ['integer', 7, 7],
    ['integer', '9007199254740993', '9007199254740993'],
    ['numeric(12,2)', 1200, '1200.00'],
    ['numeric(12,2)', 0.1 + 0.2, '0.30'],
    ['numeric(12,2)', 19.99, '19.99'],
    ['numeric(6,2)', 1.1, '1.10'],
    ['numeric(6,2)', '3.5', '3.5'],
    ['timestamp', new Date('2025-03-24T16:30:00.123Z'), '2025-03-24T16:30:00.123Z'],
    ['timestamp', '2025-03-25T00:30:00+08:00', '2025-03-24T16:30:00.000Z'],
    ['date', '2025-03-25', '2025-03-25'],
    ['date', new Date('2025-03-25T00:00:00Z'), '2025-03-25'],
    ['text', null, undefined],
    ['integer', undefined, undefined],
  ])('%s %o is %o', (type, value, expected) => {
    expect(stageValue(col(type), value)).toEqual(expected);
  });

  it.each<[ColumnType, unknown, RegExp]>([
    ['integer', 1.5, /not a whole number/],
    ['integer', Number.MAX_SAFE_INTEGER + 2, /not a whole number/],
    ['numeric(12,2)', Number.NaN, /not a finite number/],
    ['numeric(12,2)', '1,200', /not a decimal number/],
    ['timestamp', new Date(Number.NaN), /not a valid date/],
    ['timestamp', 'yesterday', /not a point in time/],
    ['date', '25/03/2025', /not a YYYY-MM-DD date/],
    ['text', { a: 1 }, /a value of type object is not text/],
  ])('refuses %s %o', (type, value, message) => {
    expect(() => stageValue(col(type), value)).toThrow(message);
  });

  it('leaves NULLs out of a row and adds where the row sat', () => {
    const columns = [
      { name: 'order_id', type: 'text' as const, nullable: false },
      { name: 'promo_code', type: 'text' as const, nullable: true },
      { name: 'amount', type: 'numeric(12,2)' as const, nullable: false },
    ];
    expect(stageRecord(columns, { order_id: 'T1', promo_code: undefined, amount: 5, extra: 'ignored' }, 'Sheet1', 7)).toEqual({
      order_id: 'T1',
      amount: '5.00',
      _source_sheet: 'Sheet1',
      _source_row: 7,
    });
    expect(stageReject(3, 'Sheet1', 9, { column: null, value: null, reason: 'empty row' })).toEqual({ _reject_seq: 3, sheet: 'Sheet1', row_number: 9, reason: 'empty row' });
  });

  it('keeps the smallest and largest business date', () => {
    const range = new DateRange();
    for (const d of ['2025-03-25', '2025-03-01', undefined, '2025-04-02', '2025-03-10']) range.add(d);
    expect([range.min, range.max]).toEqual(['2025-03-01', '2025-04-02']);
  });
});

describe('NDJSON spool', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sp01-spool-test-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one JSON object per line and counts lines and bytes as they land on disk', async () => {
    const spool = new NdjsonSpool(join(dir, 'rows.ndjson'));
    const rows = Array.from({ length: 30_000 }, (_, i) => ({ id: `T${i}`, text: '計'.repeat(i % 50), n: i }));
    for (const row of rows) await spool.write(row);
    await spool.close();
    const text = await readFile(spool.path, 'utf8');
    expect(spool.lines).toBe(rows.length);
    expect(spool.bytes).toBe((await stat(spool.path)).size);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n').slice(0, 2).map((l) => JSON.parse(l))).toEqual(rows.slice(0, 2));
  });

  it('reports a disk failure on write or close', async () => {
    const spool = new NdjsonSpool(join(dir, 'missing', 'rows.ndjson'));
    await expect(
      (async () => {
        for (let i = 0; i < 1000; i++) await spool.write({ i });
        await spool.close();
      })(),
    ).rejects.toThrow(/ENOENT/);
  });
});
