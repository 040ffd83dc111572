import type { Relation } from './graph.js';

/**
 * dbt's cross-database macros, under their dbt names and argument names. Arguments are SQL
 * fragments, as in dbt (`dbt.dateadd('day', 1, 'created_at')` passes the column expression).
 */
export interface CrossDatabaseMacros {
  date_trunc(datepart: string, date: string): string;
  dateadd(datepart: string, interval: string | number, from_date_or_timestamp: string): string;
  datediff(first_date: string, second_date: string, datepart: string): string;
  safe_cast(field: string, type: string): string;
  cast(field: string, type: string): string;
  type_string(): string;
  type_int(): string;
  type_bigint(): string;
  type_numeric(): string;
  type_timestamp(): string;
  type_float(): string;
  type_boolean(): string;
  current_timestamp(): string;
  concat(fields: readonly string[]): string;
  hash(field: string): string;
  cast_bool_to_text(field: string): string;
  any_value(expression: string): string;
  bool_or(expression: string): string;
  split_part(string_text: string, delimiter_text: string, part_number: number): string;
  length(expression: string): string;
  position(substring_text: string, string_text: string): string;
  replace(field: string, old_chars: string, new_chars: string): string;
  right(string_text: string, length_expression: string | number): string;
  escape_single_quotes(expression: string): string;
  string_literal(value: string): string;
  except(): string;
  intersect(): string;
}

/**
 * What the compiler needs to know about a warehouse's SQL. Adapters reuse these objects and
 * may extend them (`{ ...postgresDialect, type: 'pglite' }`).
 */
export interface Dialect {
  /** dbt's `target.type` / adapter type: `postgres`, `bigquery`. */
  readonly type: string;
  quoteIdentifier(name: string): string;
  /** `"schema"."table"` (PostgreSQL) or `` `project`.`dataset`.`table` `` (BigQuery); database left out when null. */
  renderRelation(relation: Relation): string;
  readonly macros: CrossDatabaseMacros;
  /** A SQL literal for a YAML/CSV value, cast when a type is known. */
  literal(value: unknown, type?: string): string;
  /** A `select … union all select …` over literal rows: unit-test fixtures and expectations. */
  rowsSelect(rows: readonly Record<string, unknown>[], columns: readonly string[], columnTypes: Readonly<Record<string, string>>): string;
}

export function renderRelationWith(quote: (part: string) => string, relation: Relation): string {
  const parts = relation.database ? [relation.database, relation.schema, relation.identifier] : [relation.schema, relation.identifier];
  return parts.map(quote).join('.');
}

/** The shared shape of rowsSelect; dialects differ only in literals and the empty-set trick. */
export function selectRows(
  dialect: Pick<Dialect, 'literal' | 'quoteIdentifier'>,
  rows: readonly Record<string, unknown>[],
  columns: readonly string[],
  columnTypes: Readonly<Record<string, string>>,
): string {
  if (columns.length === 0) return 'select 1 as __dbt_empty where 1 = 0';
  const typeOf = (column: string) => columnTypes[column] ?? columnTypes[column.toLowerCase()];
  const selectOne = (row: Record<string, unknown> | null) =>
    'select ' +
    columns
      .map((column) => {
        const value = row === null ? null : row[column];
        const type = typeOf(column);
        return `${dialect.literal(value ?? null, type)} as ${dialect.quoteIdentifier(column)}`;
      })
      .join(', ');
  if (rows.length === 0) return `${selectOne(null)} where 1 = 0`;
  return rows.map((row) => selectOne(row)).join('\nunion all\n');
}
