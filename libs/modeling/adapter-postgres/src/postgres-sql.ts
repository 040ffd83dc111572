import type { Dialect, Relation } from '@sp01/modeling-compiler';
import { postgresDialect } from '@sp01/modeling-compiler';
import type {
  ColumnDef,
  ExistingRelation,
  FreshnessArgs,
  IncrementalArgs,
  InferredType,
  RelationType,
  SchemaChangeArgs,
  SeedArgs,
  SnapshotArgs,
  SqlBatch,
  SqlPlan,
  TableArgs,
  TestsQueryArgs,
  ViewArgs,
} from '@sp01/modeling-executor';
import { foldedTestsQuery, snapshotColumnNames, snapshotCreateSelect, snapshotStagingSelect } from '@sp01/modeling-executor';

/**
 * The SQL text of every materialization on PostgreSQL (and PGlite), following dbt-postgres's
 * macros. Pure: no connection, so the golden tests read exactly what runs.
 */

/** PostgreSQL cuts identifiers at 63 bytes; derived names keep their suffix and lose the end of the base. */
const MAX_IDENTIFIER_BYTES = 63;
/** Rows per `insert … values` statement when loading a seed. */
export const SEED_BATCH_ROWS = 5_000;
/** dbt's `snapshot_get_time()` for PostgreSQL. */
export const SNAPSHOT_TIME = 'now()::timestamp without time zone';

const dialect: Dialect = postgresDialect;
const quote = (name: string) => dialect.quoteIdentifier(name);
const render = (relation: Relation) => dialect.renderRelation(relation);

function truncateBytes(text: string, bytes: number): string {
  let out = text;
  while (Buffer.byteLength(out) > bytes) out = out.slice(0, -1);
  return out;
}

export function derivedRelation(relation: Relation, suffix: string): Relation {
  return { ...relation, identifier: truncateBytes(relation.identifier, MAX_IDENTIFIER_BYTES - Buffer.byteLength(suffix)) + suffix };
}

/** A session's temporary table (`pg_temp`), named after the relation it stages. */
export function tempRelation(relation: Relation, suffix = '__dbt_tmp'): Relation {
  return { database: null, schema: 'pg_temp', identifier: derivedRelation(relation, suffix).identifier };
}

function kindWord(type: RelationType): string {
  switch (type) {
    case 'view':
      return 'view';
    case 'materialized_view':
      return 'materialized view';
    case 'external':
      return 'foreign table';
    default:
      return 'table';
  }
}

export function dropRelationSql(relation: Relation, type: RelationType): string {
  return `drop ${kindWord(type)} if exists ${render(relation)} cascade`;
}

const statement = (sql: string, reports = false) => (reports ? { sql, reports } : { sql });

/**
 * dbt-postgres's swap: the new relation is built under `<name>__dbt_tmp`, the old one renamed
 * to `<name>__dbt_backup`, the new one renamed into place and the backup dropped, all in ONE
 * transaction. A failing build rolls everything back: the old relation is never missing,
 * empty or half-built, and readers see either the old or the new one.
 */
function swapBatch(relation: Relation, existing: ExistingRelation | null, build: SqlBatch['statements'], newKind: 'table' | 'view'): SqlBatch {
  const tmp = derivedRelation(relation, '__dbt_tmp');
  const backup = derivedRelation(relation, '__dbt_backup');
  // No leftovers to clear first: the batch is one transaction, so a killed run leaves nothing.
  const statements = [...build];
  if (existing) statements.push(statement(`alter ${kindWord(existing.type)} ${render(relation)} rename to ${quote(backup.identifier)}`));
  statements.push(statement(`alter ${newKind} ${render(tmp)} rename to ${quote(relation.identifier)}`));
  if (existing) statements.push(statement(dropRelationSql(backup, existing.type)));
  return { atomic: true, statements };
}

interface IndexConfig {
  columns: string[];
  unique?: boolean;
  type?: string;
}

function indexesOf(config: Record<string, unknown>): IndexConfig[] {
  const indexes = config['indexes'];
  if (!Array.isArray(indexes)) return [];
  return indexes.filter((index): index is IndexConfig => typeof index === 'object' && index !== null && Array.isArray((index as IndexConfig).columns));
}

export function viewPlan(args: ViewArgs): SqlPlan {
  const tmp = derivedRelation(args.relation, '__dbt_tmp');
  return [swapBatch(args.relation, args.existing, [statement(`create view ${render(tmp)} as (\n${args.sql}\n)`, true)], 'view')];
}

export function tablePlan(args: TableArgs): SqlPlan {
  const tmp = derivedRelation(args.relation, '__dbt_tmp');
  const config = args.config as Record<string, unknown>;
  const unlogged = config['unlogged'] === true ? 'unlogged ' : '';
  // Index names follow dbt-postgres (md5 of the definition) but name the final relation.
  const indexes = indexesOf(config).map((index) => {
    const columns = index.columns.map(quote).join(', ');
    const using = index.type ? ` using ${index.type}` : '';
    return statement(`create ${index.unique ? 'unique ' : ''}index on ${render(tmp)}${using} (${columns})`);
  });
  return [swapBatch(args.relation, args.existing, [statement(`create ${unlogged}table ${render(tmp)} as (\n${args.sql}\n)`, true), ...indexes], 'table')];
}

function csv(columns: readonly ColumnDef[]): string {
  return columns.map((c) => quote(c.name)).join(', ');
}

/** The session's staging copy of the model's new rows (dbt-postgres: a temporary table). */
function stageBatch(staging: Relation, sql: string): SqlBatch {
  return {
    atomic: false,
    statements: [statement(`drop table if exists ${render(staging)}`), statement(`create temporary table ${quote(staging.identifier)} as (\n${sql}\n)`)],
  };
}

function unstageBatch(staging: Relation): SqlBatch {
  return { atomic: false, statements: [statement(`drop table if exists ${render(staging)}`)] };
}

function mergeUpdateColumns(args: IncrementalArgs): string[] {
  const config = args.config as Record<string, unknown>;
  const only = config['merge_update_columns'];
  const exclude = config['merge_exclude_columns'];
  const names = args.columns.map((c) => c.name);
  if (Array.isArray(only)) return only.map(String);
  if (Array.isArray(exclude)) {
    const skip = new Set(exclude.map((c) => String(c).toLowerCase()));
    return names.filter((n) => !skip.has(n.toLowerCase()));
  }
  return names;
}

/** dbt's merge, delete+insert and append, from a staging temp table into the target. */
export function incrementalStatements(args: IncrementalArgs, source: string): SqlBatch['statements'] {
  const target = render(args.relation);
  const cols = csv(args.columns);
  const insert = statement(`insert into ${target} (${cols})\n(\n    select ${cols}\n    from ${source}\n)`, true);
  const predicates = args.incremental_predicates;
  switch (args.strategy) {
    case 'append':
      return [insert];
    case 'delete+insert': {
      if (args.unique_key.length === 0) return [insert];
      const keys = args.unique_key.join(', ');
      const extra = predicates.map((p) => `\n    and ${p}`).join('');
      return [
        statement(`delete from ${target} as DBT_INTERNAL_DEST\nwhere (${keys}) in (\n    select distinct ${keys}\n    from ${source} as DBT_INTERNAL_SOURCE\n)${extra}`),
        insert,
      ];
    }
    case 'merge': {
      const on = [...predicates, ...(args.unique_key.length === 0 ? ['FALSE'] : args.unique_key.map((k) => `DBT_INTERNAL_SOURCE.${k} = DBT_INTERNAL_DEST.${k}`))];
      const update =
        args.unique_key.length === 0
          ? ''
          : `\nwhen matched then update set\n    ${mergeUpdateColumns(args)
              .map((c) => `${quote(c)} = DBT_INTERNAL_SOURCE.${quote(c)}`)
              .join(',\n    ')}`;
      const values = args.columns.map((c) => `DBT_INTERNAL_SOURCE.${quote(c.name)}`).join(', ');
      return [
        statement(
          `merge into ${target} as DBT_INTERNAL_DEST\nusing ${source} as DBT_INTERNAL_SOURCE\non (${on.join(') and (')})${update}\nwhen not matched then insert\n    (${cols})\nvalues\n    (${values})`,
          true,
        ),
      ];
    }
    default:
      throw new Error(`incremental_strategy '${args.strategy}' is not supported on PostgreSQL (merge, delete+insert, append)`);
  }
}

export function incrementalPlan(args: IncrementalArgs): SqlPlan {
  const staging = tempRelation(args.relation);
  return [stageBatch(staging, args.sql), { atomic: true, statements: incrementalStatements(args, render(staging)) }, unstageBatch(staging)];
}

export function schemaChangePlan(args: SchemaChangeArgs): SqlPlan {
  const actions = [...args.add.map((c) => `add column ${quote(c.name)} ${c.data_type}`), ...args.remove.map((c) => `drop column ${quote(c.name)}`)];
  if (actions.length === 0) return [];
  return [{ atomic: true, statements: [statement(`alter table ${render(args.relation)}\n    ${actions.join(',\n    ')}`)] }];
}

/** dbt-postgres's snapshot: build on the first run, else stage the changes and merge them. */
export function snapshotPlan(args: SnapshotArgs): SqlPlan {
  const options = { dialect, config: args.config, sql: args.sql, target: render(args.relation), source_columns: args.source_columns, snapshot_time: SNAPSHOT_TIME };
  if (!args.existing) {
    return [{ atomic: true, statements: [statement(`create table ${render(args.relation)} as (\n${snapshotCreateSelect(options)}\n)`, true)] }];
  }
  const names = snapshotColumnNames(args.config);
  const staging = tempRelation(args.relation);
  const source = render(staging);
  const target = render(args.relation);
  const meta = [names.dbt_scd_id, names.dbt_updated_at, names.dbt_valid_from, names.dbt_valid_to];
  if (args.config.hard_deletes === 'new_record') meta.push(names.dbt_is_deleted);
  // dbt inserts the staging table's columns: the select's own columns plus the dbt_* ones.
  const insertColumns = [...args.source_columns.map((c) => c.name), ...meta].map(quote);
  const current = args.config.dbt_valid_to_current;
  const isCurrent = current
    ? `(${target}.${names.dbt_valid_to} = ${current} or ${target}.${names.dbt_valid_to} is null)`
    : `${target}.${names.dbt_valid_to} is null`;
  return [
    stageBatch(staging, snapshotStagingSelect(options)),
    {
      atomic: true,
      statements: [
        statement(
          `update ${target}\nset ${names.dbt_valid_to} = DBT_INTERNAL_SOURCE.${names.dbt_valid_to}\nfrom ${source} as DBT_INTERNAL_SOURCE\nwhere DBT_INTERNAL_SOURCE.${names.dbt_scd_id}::text = ${target}.${names.dbt_scd_id}::text\n  and DBT_INTERNAL_SOURCE.dbt_change_type::text in ('update'::text, 'delete'::text)\n  and ${isCurrent}`,
          true,
        ),
        statement(
          `insert into ${target} (${insertColumns.join(', ')})\nselect ${insertColumns.map((c) => `DBT_INTERNAL_SOURCE.${c}`).join(', ')}\nfrom ${source} as DBT_INTERNAL_SOURCE\nwhere DBT_INTERNAL_SOURCE.dbt_change_type::text = 'insert'::text`,
          true,
        ),
      ],
    },
    unstageBatch(staging),
  ];
}

function cell(value: string | null): string {
  return value === null ? 'null' : `'${value.replaceAll("'", "''")}'`;
}

/** dbt's seed: create (or truncate, keeping the table) and insert the rows, in one transaction. */
export function seedPlan(args: SeedArgs): SqlPlan {
  const target = render(args.relation);
  const statements: SqlBatch['statements'] = [];
  if (args.existing && !args.full_refresh && args.existing.type === 'table') {
    statements.push(statement(`truncate table ${target}`));
  } else {
    if (args.existing) statements.push(statement(dropRelationSql(args.relation, args.existing.type)));
    statements.push(statement(`create table ${target} (${args.columns.map((c) => `${quote(c.name)} ${c.data_type}`).join(', ')})`));
  }
  const cols = csv(args.columns);
  for (let start = 0; start < args.rows.length; start += SEED_BATCH_ROWS) {
    const batch = args.rows.slice(start, start + SEED_BATCH_ROWS);
    const values = batch.map((row) => `(${args.columns.map((_, i) => cell(row[i] ?? null)).join(', ')})`).join(',\n');
    statements.push(statement(`insert into ${target} (${cols}) values\n${values}`, true));
  }
  return [{ atomic: true, statements }];
}

export function testsQuery(args: TestsQueryArgs): string {
  return foldedTestsQuery(dialect, args, { materializeModel: true });
}

export function freshnessQuery(args: FreshnessArgs): string {
  // timestamptz on both sides: a naive loaded_at is read in the session's time zone (UTC).
  const where = args.filter ? `\nwhere ${args.filter}` : '';
  return `select cast(max(${args.loaded_at_field}) as timestamptz) as max_loaded_at,\n    now() as snapshotted_at\nfrom ${render(args.relation)}${where}`;
}

/** dbt-postgres's `convert_*_type`. */
export function convertType(type: InferredType): string {
  switch (type) {
    case 'integer':
      return 'integer';
    case 'number':
      return 'float8';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'timestamp without time zone';
    case 'text':
      return 'text';
  }
}
