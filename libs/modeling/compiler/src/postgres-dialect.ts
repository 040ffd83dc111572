import type { CrossDatabaseMacros, Dialect } from './dialect.js';
import { renderRelationWith, selectRows } from './dialect.js';

const DATE_LIKE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP_LIKE = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const TIMESTAMPTZ_LIKE = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$/;

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function stringLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** dbt-postgres's `postgres__datediff`, datepart by datepart. */
function datediff(first: string, second: string, datepart: string): string {
  const part = datepart.replaceAll("'", '').toLowerCase();
  const diffDay = `((${second})::date - (${first})::date)`;
  switch (part) {
    case 'year':
      return `(date_part('year', (${second})::date) - date_part('year', (${first})::date))`;
    case 'quarter':
      return `(${datediff(first, second, 'year')} * 4 + date_part('quarter', (${second})::date) - date_part('quarter', (${first})::date))`;
    case 'month':
      return `(${datediff(first, second, 'year')} * 12 + date_part('month', (${second})::date) - date_part('month', (${first})::date))`;
    case 'day':
      return diffDay;
    case 'week':
      return `(${diffDay} / 7 + case when date_part('dow', (${first})::timestamp) <= date_part('dow', (${second})::timestamp) then case when ${first} <= ${second} then 0 else -1 end else case when ${first} <= ${second} then 1 else 0 end end)`;
    case 'hour':
      return `(${diffDay} * 24 + date_part('hour', (${second})::timestamp) - date_part('hour', (${first})::timestamp))`;
    case 'minute':
      return `(${datediff(first, second, 'hour')} * 60 + date_part('minute', (${second})::timestamp) - date_part('minute', (${first})::timestamp))`;
    case 'second':
      return `(${datediff(first, second, 'minute')} * 60 + floor(date_part('second', (${second})::timestamp)) - floor(date_part('second', (${first})::timestamp)))`;
    default:
      throw new Error(`Unsupported datepart for macro datediff in postgres: '${datepart}'`);
  }
}

const macros: CrossDatabaseMacros = {
  date_trunc: (datepart, date) => `date_trunc('${datepart}', ${date})`,
  dateadd: (datepart, interval, from) => `${from} + ((interval '1 ${datepart}') * (${interval}))`,
  datediff,
  // PostgreSQL has no safe cast; dbt's default is a plain cast too.
  safe_cast: (field, type) => `cast(${field} as ${type})`,
  cast: (field, type) => `cast(${field} as ${type})`,
  type_string: () => 'TEXT',
  type_int: () => 'INT',
  type_bigint: () => 'bigint',
  type_numeric: () => 'numeric(28,6)',
  type_timestamp: () => 'TIMESTAMP',
  type_float: () => 'FLOAT',
  type_boolean: () => 'BOOLEAN',
  current_timestamp: () => 'now()',
  concat: (fields) => `concat(${fields.join(', ')})`,
  hash: (field) => `md5(cast(${field} as TEXT))`,
  cast_bool_to_text: (field) => `cast(${field} as TEXT)`,
  any_value: (expression) => `min(${expression})`,
  bool_or: (expression) => `bool_or(${expression})`,
  split_part: (text, delimiter, part) =>
    part >= 0
      ? `split_part(${text}, ${delimiter}, ${part})`
      : `split_part(${text}, ${delimiter}, length(${text}) - length(replace(${text}, ${delimiter}, '')) + 1 + ${part} + 1)`,
  length: (expression) => `length(${expression})`,
  position: (substring, text) => `position(${substring} in ${text})`,
  replace: (field, oldChars, newChars) => `replace(${field}, ${oldChars}, ${newChars})`,
  right: (text, length) => `right(${text}, ${length})`,
  escape_single_quotes: (expression) => expression.replaceAll("'", "''"),
  string_literal: (value) => stringLiteral(value),
  except: () => 'except',
  intersect: () => 'intersect',
};

function literal(value: unknown, type?: string): string {
  const bare = bareLiteral(value, type === undefined);
  return type === undefined ? bare : `cast(${bare} as ${type})`;
}

function bareLiteral(value: unknown, inferType: boolean): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : `'${String(value)}'::float`;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return `timestamp '${value.toISOString()}'`;
  if (typeof value === 'string') {
    // Fixture values have no declared type; date-shaped strings would otherwise be text.
    if (inferType && DATE_LIKE.test(value)) return `date '${value}'`;
    if (inferType && TIMESTAMPTZ_LIKE.test(value)) return `timestamptz '${value}'`;
    if (inferType && TIMESTAMP_LIKE.test(value)) return `timestamp '${value}'`;
    return stringLiteral(value);
  }
  return stringLiteral(JSON.stringify(value));
}

export const postgresDialect: Dialect = {
  type: 'postgres',
  quoteIdentifier: quote,
  renderRelation: (relation) => renderRelationWith(quote, relation),
  macros,
  literal,
  rowsSelect(rows, columns, columnTypes) {
    return selectRows(this, rows, columns, columnTypes);
  },
};
