import type { TableFieldSchema, TableSchema } from './bigquery-wire.js';

/**
 * How the fake reads the media of a NEWLINE_DELIMITED_JSON load job: each line one JSON
 * object, checked against the schema the way BigQuery refuses a load (an unknown field,
 * a REQUIRED field missing or null, a value its column type cannot take). Stricter than
 * BigQuery in one way, on purpose: a STRING column takes only JSON strings, so a number
 * written where text belongs shows up in tests.
 */

const DATE = /^\d{4}-\d{2}-\d{2}$/;
// BigQuery's JSON TIMESTAMP: date, space or T, time, optional fraction, optional zone.
const TIMESTAMP = /^\d{4}[-/]\d{2}[-/]\d{2}[ T]\d{1,2}:\d{2}(:\d{2}(\.\d{1,12})?)?\s*(Z|UTC|[+-]\d{2}(:?\d{2})?)?$/i;
const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?(\d+)(?:\.(\d+))?$/;

function checkValue(field: TableFieldSchema, value: unknown): string | undefined {
  const type = field.type.toUpperCase();
  switch (type) {
    case 'STRING':
      return typeof value === 'string' ? undefined : 'is not a string';
    case 'INT64':
    case 'INTEGER':
      if (typeof value === 'number') return Number.isSafeInteger(value) ? undefined : 'is not a valid INT64';
      return typeof value === 'string' && INTEGER.test(value) ? undefined : 'is not a valid INT64';
    case 'NUMERIC':
    case 'BIGNUMERIC': {
      const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : undefined;
      const m = text === undefined ? null : DECIMAL.exec(text);
      if (!m) return 'is not a valid NUMERIC';
      const scale = field.scale === undefined ? 9 : Number(field.scale);
      const precision = field.precision === undefined ? 38 : Number(field.precision);
      const fraction = m[2] ?? '';
      const whole = (m[1] ?? '').replace(/^0+(?=\d)/, '');
      if (fraction.length > scale) return `has more than ${scale} digits after the decimal point`;
      if (whole !== '0' && whole.length > precision - scale) return `does not fit NUMERIC(${precision}, ${scale})`;
      return undefined;
    }
    case 'FLOAT':
    case 'FLOAT64':
      return typeof value === 'number' || (typeof value === 'string' && !Number.isNaN(Number(value))) ? undefined : 'is not a valid FLOAT64';
    case 'BOOL':
    case 'BOOLEAN':
      return typeof value === 'boolean' || value === 'true' || value === 'false' ? undefined : 'is not a valid BOOL';
    case 'DATE': {
      if (typeof value !== 'string' || !DATE.test(value)) return 'is not a valid DATE (YYYY-MM-DD)';
      return Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? 'is not a valid DATE' : undefined;
    }
    case 'TIMESTAMP': {
      if (typeof value === 'number') return undefined;
      if (typeof value !== 'string' || !TIMESTAMP.test(value)) return 'is not a valid TIMESTAMP';
      return undefined;
    }
    case 'JSON':
      return undefined;
    default:
      return `has type ${type}, which the fake does not load`;
  }
}

function checkRecord(fields: readonly TableFieldSchema[], record: unknown, path: string): string | undefined {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return `${path || 'row'} is not a JSON object`;
  const byName = new Map(fields.map((f) => [f.name.toLowerCase(), f]));
  for (const key of Object.keys(record)) {
    if (!byName.has(key.toLowerCase())) return `no such field: ${path}${key}`;
  }
  for (const field of fields) {
    const value = (record as Record<string, unknown>)[field.name];
    if (value === null || value === undefined) {
      if (field.mode === 'REQUIRED') return `Missing required field: ${path}${field.name}.`;
      continue;
    }
    const values = field.mode === 'REPEATED' ? (Array.isArray(value) ? value : [value]) : [value];
    for (const v of values) {
      const type = field.type.toUpperCase();
      const problem = type === 'RECORD' || type === 'STRUCT' ? checkRecord(field.fields ?? [], v, `${path}${field.name}.`) : checkValue(field, v);
      if (problem) return `${path}${field.name}: ${JSON.stringify(v)} ${problem}`;
    }
  }
  return undefined;
}

/** The rows of an NDJSON load, or the error BigQuery would stop the job with. */
export function checkLoadRows(text: string, schema: TableSchema): { rows: Record<string, unknown>[] } | { error: string } {
  const rows: Record<string, unknown>[] = [];
  let position = 0;
  for (const line of text.split('\n')) {
    const start = position;
    position += Buffer.byteLength(line) + 1;
    if (line.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (err) {
      return { error: `Error while reading data, error message: JSON parsing error in row starting at position ${start}: ${(err as Error).message}` };
    }
    const problem = checkRecord(schema.fields, record, '');
    if (problem) return { error: `Error while reading data, error message: JSON table encountered too many errors, giving up. Rows: ${rows.length + 1}; row starting at position ${start}: ${problem}` };
    rows.push(record as Record<string, unknown>);
  }
  return { rows };
}
