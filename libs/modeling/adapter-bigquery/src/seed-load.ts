import type { Dialect, Relation } from '@sp01/modeling-compiler';
import type { SeedArgs, SqlPlan, SqlStatement } from '@sp01/modeling-executor';
import { dropRelationSql } from './model-plans.js';
import { loadField } from './type-mapping.js';

/**
 * A seed lands with ONE load job: its rows as newline-delimited JSON sent with jobs.insert
 * (no bucket, no streaming inserts), an explicit schema from the seed's column types, and
 * WRITE_TRUNCATE — the table and its schema are replaced atomically, or not at all.
 */
export interface SeedLoad {
  destination: Relation & { database: string };
  fields: ReturnType<typeof loadField>[];
  /** The rows as NDJSON, one object per CSV row. */
  ndjson: string;
  rows: number;
}

/** A plan statement the session runs as a load job instead of a query. */
export interface SeedLoadStatement extends SqlStatement {
  load: SeedLoad;
}

export function isSeedLoad(statement: SqlStatement): statement is SeedLoadStatement {
  return typeof (statement as Partial<SeedLoadStatement>).load === 'object';
}

function cellValue(type: string, cell: string): unknown {
  switch (type) {
    case 'BOOL': {
      const lower = cell.trim().toLowerCase();
      if (lower === 'true' || lower === 'false') return lower === 'true';
      return cell;
    }
    case 'FLOAT64': {
      const number = Number(cell);
      return cell.trim() !== '' && Number.isFinite(number) ? number : cell;
    }
    case 'INT64':
    case 'NUMERIC':
    case 'BIGNUMERIC':
      return cell.trim();
    default:
      return cell;
  }
}

/** The seed's rows as NDJSON typed for their columns; empty cells are null, as dbt loads them. */
export function seedNdjson(args: Pick<SeedArgs, 'columns' | 'rows'>, fields: readonly { name: string; type: string }[]): string {
  return args.rows
    .map((row) => {
      const record: Record<string, unknown> = {};
      fields.forEach((field, i) => {
        const cell = row[i] ?? null;
        record[field.name] = cell === null || cell === '' ? null : cellValue(field.type, cell);
      });
      return JSON.stringify(record);
    })
    .join('\n');
}

export function seedPlan(dialect: Dialect, destination: Relation & { database: string }, args: SeedArgs): SqlPlan {
  const fields = args.columns.map((column) => loadField(column.name, column.data_type));
  const plan: SqlPlan = [];
  if (args.existing && args.existing.type !== 'table') {
    plan.push({ atomic: false, statements: [{ sql: dropRelationSql(dialect, args.relation, args.existing.type) }] });
  }
  const load: SeedLoad = { destination, fields, ndjson: seedNdjson(args, fields), rows: args.rows.length };
  const statement: SeedLoadStatement = {
    sql:
      `-- load job: ${args.rows.length} rows as NEWLINE_DELIMITED_JSON into ${dialect.renderRelation(args.relation)} (WRITE_TRUNCATE, CREATE_IF_NEEDED)\n` +
      `-- schema: ${fields.map((f) => `${f.name} ${f.type}${f.precision ? `(${f.precision}${f.scale ? `, ${f.scale}` : ''})` : ''}`).join(', ')}`,
    reports: true,
    load,
  };
  plan.push({ atomic: true, statements: [statement] });
  return plan;
}
