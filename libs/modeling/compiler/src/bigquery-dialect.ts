import type { CrossDatabaseMacros, Dialect } from './dialect.js';
import { renderRelationWith, selectRows } from './dialect.js';

const DATE_LIKE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP_LIKE = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;

function quote(name: string): string {
  return `\`${name.replaceAll('`', '\\`')}\``;
}

function escapeSingleQuotes(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll("'", "\\'");
}

function stringLiteral(value: string): string {
  return `'${escapeSingleQuotes(value)}'`;
}

const macros: CrossDatabaseMacros = {
  date_trunc: (datepart, date) => `timestamp_trunc(cast(${date} as timestamp), ${datepart})`,
  dateadd: (datepart, interval, from) => `date_add(${from}, interval ${interval} ${datepart})`,
  datediff: (first, second, datepart) => `datetime_diff(cast(${second} as datetime), cast(${first} as datetime), ${datepart})`,
  safe_cast: (field, type) => `safe_cast(${field} as ${type})`,
  cast: (field, type) => `cast(${field} as ${type})`,
  type_string: () => 'STRING',
  type_int: () => 'INT64',
  type_bigint: () => 'INT64',
  type_numeric: () => 'numeric',
  type_timestamp: () => 'TIMESTAMP',
  type_float: () => 'FLOAT64',
  type_boolean: () => 'BOOL',
  current_timestamp: () => 'current_timestamp()',
  concat: (fields) => `concat(${fields.join(', ')})`,
  hash: (field) => `to_hex(md5(cast(${field} as STRING)))`,
  cast_bool_to_text: (field) => `cast(${field} as STRING)`,
  any_value: (expression) => `any_value(${expression})`,
  bool_or: (expression) => `logical_or(${expression})`,
  split_part: (text, delimiter, part) =>
    part >= 0
      ? `split(${text}, ${delimiter})[safe_offset(${part - 1})]`
      : `split(${text}, ${delimiter})[safe_offset(array_length(split(${text}, ${delimiter})) + ${part})]`,
  length: (expression) => `length(${expression})`,
  position: (substring, text) => `strpos(${text}, ${substring})`,
  replace: (field, oldChars, newChars) => `replace(${field}, ${oldChars}, ${newChars})`,
  right: (text, length) => `case when ${length} = 0 then '' else substr(${text}, -1 * (${length})) end`,
  escape_single_quotes: escapeSingleQuotes,
  string_literal: stringLiteral,
  except: () => 'except distinct',
  intersect: () => 'intersect distinct',
};

function literal(value: unknown, type?: string): string {
  const bare = bareLiteral(value, type === undefined);
  return type === undefined ? bare : `cast(${bare} as ${type})`;
}

function bareLiteral(value: unknown, inferType: boolean): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : `cast('${String(value)}' as FLOAT64)`;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return `timestamp '${value.toISOString()}'`;
  if (typeof value === 'string') {
    if (inferType && DATE_LIKE.test(value)) return `date '${value}'`;
    if (inferType && TIMESTAMP_LIKE.test(value)) return `timestamp '${value}'`;
    return stringLiteral(value);
  }
  return stringLiteral(JSON.stringify(value));
}

export const bigqueryDialect: Dialect = {
  type: 'bigquery',
  quoteIdentifier: quote,
  renderRelation: (relation) => renderRelationWith(quote, relation),
  macros,
  literal,
  rowsSelect(rows, columns, columnTypes) {
    return selectRows(this, rows, columns, columnTypes);
  },
};
