import type { InferredType } from '@sp01/modeling-executor';

/** dbt-bigquery's `convert_*_type` for seeds without `column_types`. */
export function convertType(type: InferredType): string {
  switch (type) {
    case 'text':
      return 'STRING';
    case 'integer':
      return 'INT64';
    case 'number':
      return 'FLOAT64';
    case 'boolean':
      return 'BOOL';
    case 'date':
      return 'DATE';
    case 'datetime':
      return 'DATETIME';
  }
}

/** A schema field as the REST API describes it (tables.get, query results). */
export interface SchemaField {
  name?: string | null;
  type?: string | null;
  mode?: string | null;
  fields?: SchemaField[] | null;
  precision?: string | null;
  scale?: string | null;
  maxLength?: string | null;
}

const LEGACY_NAMES: Record<string, string> = { INTEGER: 'INT64', FLOAT: 'FLOAT64', BOOLEAN: 'BOOL', RECORD: 'STRUCT' };

/** A field's type in GoogleSQL spelling, as dbt-bigquery's Column.data_type: `INT64`, `ARRAY<STRING>`, `STRUCT<a INT64>`. */
export function fieldDataType(field: SchemaField): string {
  const base = (field.type ?? 'STRING').toUpperCase();
  let type = LEGACY_NAMES[base] ?? base;
  if (type === 'STRUCT') type = `STRUCT<${(field.fields ?? []).map((f) => `${f.name ?? ''} ${fieldDataType(f)}`).join(', ')}>`;
  else if ((type === 'NUMERIC' || type === 'BIGNUMERIC') && field.precision) type = `${type}(${field.precision}${field.scale ? `, ${field.scale}` : ''})`;
  else if ((type === 'STRING' || type === 'BYTES') && field.maxLength) type = `${type}(${field.maxLength})`;
  return field.mode === 'REPEATED' ? `ARRAY<${type}>` : type;
}

const ALIASES: Record<string, string> = {
  INT: 'INT64',
  INTEGER: 'INT64',
  BIGINT: 'INT64',
  SMALLINT: 'INT64',
  TINYINT: 'INT64',
  BYTEINT: 'INT64',
  FLOAT: 'FLOAT64',
  DOUBLE: 'FLOAT64',
  BOOLEAN: 'BOOL',
  DECIMAL: 'NUMERIC',
  BIGDECIMAL: 'BIGNUMERIC',
  TEXT: 'STRING',
  VARCHAR: 'STRING',
};

/**
 * The load-job schema field for a column type written in SQL (seed `column_types`):
 * `numeric(12, 2)` → NUMERIC with precision and scale, `integer` → INT64.
 */
export function loadField(name: string, dataType: string): { name: string; type: string; mode: 'NULLABLE'; precision?: string; scale?: string; maxLength?: string } {
  const match = /^\s*([A-Za-z0-9_]+)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*$/.exec(dataType);
  if (!match) throw new Error(`seed column ${name}: type ${JSON.stringify(dataType)} cannot be loaded (use a scalar BigQuery type)`);
  const base = (match[1] as string).toUpperCase();
  const type = ALIASES[base] ?? base;
  const field: ReturnType<typeof loadField> = { name, type, mode: 'NULLABLE' };
  if (match[2] !== undefined && (type === 'NUMERIC' || type === 'BIGNUMERIC')) {
    field.precision = match[2];
    if (match[3] !== undefined) field.scale = match[3];
  } else if (match[2] !== undefined && (type === 'STRING' || type === 'BYTES')) field.maxLength = match[2];
  return field;
}
