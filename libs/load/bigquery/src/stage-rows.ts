import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { RowReject, WarehouseColumn } from '@sp01/contracts';

/**
 * Rows on their way to a staging table: one JSON object per line, in the types BigQuery's
 * NEWLINE_DELIMITED_JSON load reads exactly. NUMERIC goes as a decimal string (a binary
 * float would round), TIMESTAMP as ISO-8601 UTC, DATE as `YYYY-MM-DD`, INT64 as a
 * number; NULL is the key left out.
 */

export type StageValue = string | number;

function invalid(column: WarehouseColumn, value: unknown, why: string): never {
  const shown = value instanceof Date ? 'Invalid Date' : typeof value === 'string' ? JSON.stringify(value) : String(value);
  throw new TypeError(`cannot write ${shown} to ${column.type} column ${column.name}: ${why}`);
}

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** One record value as its stage JSON value; undefined for NULL. */
export function stageValue(column: WarehouseColumn, value: unknown): StageValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number' && !Number.isFinite(value)) invalid(column, value, 'not a finite number');
  if (value instanceof Date && Number.isNaN(value.getTime())) invalid(column, value, 'not a valid date');
  switch (column.type) {
    case 'text':
      if (typeof value === 'string') return value;
      if (value instanceof Date) return value.toISOString();
      if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
      return invalid(column, value, `a value of type ${typeof value} is not text`);
    case 'integer':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
      if (typeof value === 'bigint') return value.toString();
      if (typeof value === 'string' && INTEGER.test(value)) return value;
      return invalid(column, value, 'not a whole number');
    case 'numeric(12,2)':
    case 'numeric(6,2)': {
      const scale = 2;
      // toFixed gives the decimal the float stands for (1.1 → "1.10"); the transform has
      // already rounded to the column's scale, so no digit is lost.
      if (typeof value === 'number') return value.toFixed(scale);
      if (typeof value === 'string' && DECIMAL.test(value)) return value;
      return invalid(column, value, 'not a decimal number');
    }
    case 'timestamp':
      if (value instanceof Date) return value.toISOString();
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
      return invalid(column, value, 'not a point in time');
    case 'date':
      if (typeof value === 'string' && DATE.test(value)) return value;
      if (value instanceof Date) return value.toISOString().slice(0, 10);
      return invalid(column, value, 'not a YYYY-MM-DD date');
    default:
      return invalid(column, value, 'unknown column type');
  }
}

/** A stage row of a good record: its own columns, then where it sat in the file. */
export function stageRecord(
  columns: readonly WarehouseColumn[],
  record: Record<string, unknown>,
  sheet: string,
  rowNumber: number,
): Record<string, StageValue> {
  const out: Record<string, StageValue> = {};
  for (const column of columns) {
    const v = stageValue(column, record[column.name]);
    if (v !== undefined) out[column.name] = v;
  }
  out['_source_sheet'] = sheet;
  out['_source_row'] = rowNumber;
  return out;
}

/** A stage row of one reject; `seq` is its position among the file's rejects. */
export function stageReject(seq: number, sheet: string, rowNumber: number, reject: RowReject): Record<string, StageValue> {
  const out: Record<string, StageValue> = { _reject_seq: seq, sheet, row_number: rowNumber, reason: reject.reason };
  if (reject.column !== null) out['column_name'] = reject.column;
  if (reject.value !== null) out['raw_value'] = reject.value;
  return out;
}

/**
 * An NDJSON file on local disk that waits when the disk is slower than the rows: memory
 * stays flat however long the file. Its text can be uploaded again on a retry, which a
 * half-consumed rows iterator could never give twice.
 */
export class NdjsonSpool {
  private readonly out: WriteStream;
  private failure: Error | undefined;
  lines = 0;
  bytes = 0;

  constructor(readonly path: string) {
    this.out = createWriteStream(path);
    this.out.on('error', (err) => {
      this.failure = err;
    });
  }

  async write(row: object): Promise<void> {
    if (this.failure) throw this.failure;
    const line = `${JSON.stringify(row)}\n`;
    this.lines += 1;
    this.bytes += Buffer.byteLength(line);
    if (!this.out.write(line)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    if (!this.out.closed) {
      this.out.end();
      await once(this.out, 'close').catch(() => undefined);
    }
    if (this.failure) throw this.failure;
  }
}

/** Smallest and largest of the `YYYY-MM-DD` dates seen; ISO dates compare as text. */
export class DateRange {
  min: string | undefined;
  max: string | undefined;

  add(date: StageValue | undefined): void {
    if (typeof date !== 'string') return;
    if (this.min === undefined || date < this.min) this.min = date;
    if (this.max === undefined || date > this.max) this.max = date;
  }
}
