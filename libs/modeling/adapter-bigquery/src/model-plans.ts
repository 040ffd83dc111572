import type { Dialect, ModelConfig, PartitionBy } from '@sp01/modeling-compiler';
import type { ColumnDef, ExistingRelation, IncrementalArgs, RelationType, SchemaChangeArgs, SqlPlan, TableArgs, ViewArgs } from '@sp01/modeling-executor';
import type { TablePartitioning } from './partitioning.js';
import { isReplaceable, partitionByClause, partitionExpression, partitionExpressionWrapped, partitionValueType } from './partitioning.js';

/**
 * The DDL/DML of each materialization in GoogleSQL, after dbt-bigquery's macros. Pure: a
 * plan is data, golden-tested, and run by the adapter's session. Each batch changes the
 * target with at most ONE statement, which BigQuery applies atomically (CREATE OR REPLACE,
 * MERGE): a failed build leaves the previous table as it was.
 */

/** An existing relation as the adapter reports it, with what BigQuery said about its layout. */
export interface BigQueryExistingRelation extends ExistingRelation {
  partitioning?: TablePartitioning;
}

export const DEST = 'DBT_INTERNAL_DEST';
export const SOURCE = 'DBT_INTERNAL_SOURCE';

function layoutOf(existing: ExistingRelation | null): TablePartitioning {
  return (existing as BigQueryExistingRelation | null)?.partitioning ?? {};
}

/** dbt-bigquery's `bigquery_options`: labels and partition options of a table or view. */
export function optionsClause(dialect: Dialect, config: Partial<ModelConfig>, kind: 'table' | 'view'): string {
  const options: string[] = [];
  const labels = Object.entries(config.labels ?? {});
  if (labels.length > 0) {
    options.push(`labels=[${labels.map(([key, value]) => `(${dialect.macros.string_literal(key)}, ${dialect.macros.string_literal(String(value))})`).join(', ')}]`);
  }
  if (kind === 'table' && config.partition_by) {
    if (config.require_partition_filter) options.push('require_partition_filter=true');
    if (config.partition_expiration_days) options.push(`partition_expiration_days=${Number(config.partition_expiration_days)}`);
  }
  return options.length === 0 ? '' : `\nOPTIONS(\n    ${options.join(',\n    ')}\n)`;
}

export function dropRelationSql(dialect: Dialect, relation: ExistingRelation | Parameters<Dialect['renderRelation']>[0], type: RelationType): string {
  const kind = type === 'view' ? 'view' : type === 'materialized_view' ? 'materialized view' : type === 'external' ? 'external table' : 'table';
  return `drop ${kind} if exists ${dialect.renderRelation(relation)}`;
}

/** dbt-bigquery's view: an existing table of that name is dropped first (a view cannot replace it). */
export function viewPlan(dialect: Dialect, args: ViewArgs): SqlPlan {
  const plan: SqlPlan = [];
  if (args.existing && args.existing.type !== 'view') {
    plan.push({ atomic: false, statements: [{ sql: dropRelationSql(dialect, args.relation, args.existing.type) }] });
  }
  plan.push({
    atomic: true,
    statements: [{ sql: `create or replace view ${dialect.renderRelation(args.relation)}${optionsClause(dialect, args.config, 'view')}\nas ${args.sql.trim()}`, reports: true }],
  });
  return plan;
}

function clusterByClause(clusterBy: readonly string[] | null | undefined): string {
  const fields = typeof clusterBy === 'string' ? [clusterBy] : (clusterBy ?? []);
  if (fields.length > 4) throw new Error(`cluster_by takes at most 4 columns on BigQuery, got ${fields.length}: ${fields.join(', ')}`);
  return fields.length === 0 ? '' : `\ncluster by ${fields.join(', ')}`;
}

/** dbt-bigquery's `create_table_as`: `create or replace table … partition by … cluster by … OPTIONS(…) as (…)`. */
export function createTableAs(dialect: Dialect, target: string, sql: string, config: Partial<ModelConfig>, temporary = false): string {
  const partition = config.partition_by ? `\n${partitionByClause(config.partition_by)}` : '';
  const options = temporary ? '' : optionsClause(dialect, config, 'table');
  const head = temporary ? `create temp table ${target}` : `create or replace table ${target}`;
  return `${head}${partition}${clusterByClause(config.cluster_by)}${options}\nas (\n${sql.trim()}\n)`;
}

/**
 * `materialized: table`. CREATE OR REPLACE TABLE swaps atomically; it cannot turn a view into
 * a table or change partitioning/clustering, so then the old relation is dropped first
 * (dbt-bigquery does the same).
 */
export function tablePlan(dialect: Dialect, args: TableArgs): SqlPlan {
  const plan: SqlPlan = [];
  const existing = args.existing;
  const clusterBy = args.config.cluster_by ?? null;
  if (existing && (existing.type !== 'table' || !isReplaceable(layoutOf(existing), args.config.partition_by ?? null, typeof clusterBy === 'string' ? [clusterBy] : clusterBy))) {
    plan.push({ atomic: false, statements: [{ sql: dropRelationSql(dialect, args.relation, existing.type) }] });
  }
  plan.push({ atomic: true, statements: [{ sql: createTableAs(dialect, dialect.renderRelation(args.relation), args.sql, args.config), reports: true }] });
  return plan;
}

function quotedColumns(dialect: Dialect, columns: readonly ColumnDef[]): string[] {
  return columns.map((column) => dialect.quoteIdentifier(column.name));
}

/** dbt's merge_update_columns / merge_exclude_columns. */
function updateColumns(config: Partial<ModelConfig>, columns: readonly ColumnDef[]): ColumnDef[] {
  const only = config['merge_update_columns'] as string[] | undefined;
  const exclude = config['merge_exclude_columns'] as string[] | undefined;
  const lower = (list: readonly string[]) => new Set(list.map((c) => c.toLowerCase()));
  if (only?.length) {
    const keep = lower(only);
    return columns.filter((c) => keep.has(c.name.toLowerCase()));
  }
  if (exclude?.length) {
    const drop = lower(exclude);
    return columns.filter((c) => !drop.has(c.name.toLowerCase()));
  }
  return [...columns];
}

/** dbt's `get_merge_sql`, with the ON predicates given. */
function mergeSql(dialect: Dialect, target: string, source: string, predicates: readonly string[], uniqueKey: readonly string[], columns: readonly ColumnDef[], config: Partial<ModelConfig>): string {
  const names = quotedColumns(dialect, columns);
  const on = predicates.map((p) => `(${p})`).join(' and ');
  const update =
    uniqueKey.length > 0
      ? `\nwhen matched then update set\n    ${quotedColumns(dialect, updateColumns(config, columns))
          .map((name) => `${name} = ${SOURCE}.${name}`)
          .join(',\n    ')}\n`
      : '';
  return `merge into ${target} as ${DEST}\n    using ${source} as ${SOURCE}\n    on ${on}\n${update}\nwhen not matched then insert\n    (${names.join(', ')})\nvalues\n    (${names.join(', ')})`;
}

/** dbt: each key column matched, or FALSE without a unique key (every row is inserted). */
function keyPredicates(uniqueKey: readonly string[]): string[] {
  return uniqueKey.length === 0 ? ['FALSE'] : uniqueKey.map((key) => `${SOURCE}.${key} = ${DEST}.${key}`);
}

/** The temp table a script stages the model's rows in: `<identifier>__dbt_tmp`, unqualified as BigQuery wants. */
function tempTable(dialect: Dialect, identifier: string): string {
  return dialect.quoteIdentifier(`${identifier}__dbt_tmp`);
}

/** Whether to prune the target's partitions in a merge (opt out with `merge_prune_partitions: false`). */
function prunes(config: Partial<ModelConfig>): PartitionBy | null {
  return config.partition_by && config['merge_prune_partitions'] !== false ? config.partition_by : null;
}

/**
 * `incremental_strategy: merge` (dbt-bigquery's default). With `partition_by`, the new rows
 * are staged in a temp table first and the merge only reads target partitions from the
 * earliest one among them: `DBT_INTERNAL_DEST.<field> >= <min of the new rows>` through a
 * script variable, which BigQuery can prune by (a subquery in ON it cannot). It also keeps a
 * `require_partition_filter` table mergeable.
 */
export function mergePlan(dialect: Dialect, args: IncrementalArgs): SqlPlan {
  const target = dialect.renderRelation(args.relation);
  // Without a unique key nothing is matched, so there is nothing to prune.
  const partition = args.unique_key.length > 0 ? prunes(args.config) : null;
  const predicates = [...args.incremental_predicates, ...keyPredicates(args.unique_key)];
  if (!partition) {
    return [{ atomic: true, statements: [{ sql: mergeSql(dialect, target, `(\n${args.sql.trim()}\n)`, predicates, args.unique_key, args.columns, args.config), reports: true }] }];
  }
  const tmp = tempTable(dialect, args.relation.identifier);
  const bound = 'dbt_partition_lower_bound';
  return [
    {
      atomic: true,
      statements: [
        { sql: `declare ${bound} ${partitionValueType(partition)}` },
        { sql: createTableAs(dialect, tmp, args.sql, {}, true) },
        { sql: `set ${bound} = (\n    select min(${partitionExpression(partition)}) from ${tmp}\n)` },
        {
          sql: mergeSql(dialect, target, tmp, [`${DEST}.${partition.field} >= ${bound}`, ...predicates], args.unique_key, args.columns, args.config),
          reports: true,
        },
        { sql: `drop table if exists ${tmp}` },
      ],
    },
  ];
}

/**
 * `incremental_strategy: insert_overwrite`, dbt-bigquery's dynamic partition replacement:
 * stage the new rows, collect the partitions they fall in, then ONE merge deletes those
 * partitions' old rows and inserts the new ones. Static `partitions: [...]` skips the
 * collecting. Without `partition_by` the whole table is replaced, as in dbt-bigquery.
 */
export function insertOverwritePlan(dialect: Dialect, args: IncrementalArgs): SqlPlan {
  const target = dialect.renderRelation(args.relation);
  const partition = args.config.partition_by;
  const names = quotedColumns(dialect, args.columns);
  const insert = `when not matched then insert\n    (${names.join(', ')})\nvalues\n    (${names.join(', ')})`;
  const predicates = args.incremental_predicates.map((p) => `\n    and (${p})`).join('');
  if (!partition) {
    return [
      {
        atomic: true,
        statements: [{ sql: `merge into ${target} as ${DEST}\n    using (\n${args.sql.trim()}\n) as ${SOURCE}\n    on FALSE\n\nwhen not matched by source${predicates}\n    then delete\n\n${insert}`, reports: true }],
      },
    ];
  }
  const staticPartitions = args.config['partitions'] as readonly string[] | undefined;
  const destPartition = partitionExpressionWrapped(partition, DEST);
  if (staticPartitions?.length) {
    return [
      {
        atomic: true,
        statements: [
          {
            sql: `merge into ${target} as ${DEST}\n    using (\n${args.sql.trim()}\n) as ${SOURCE}\n    on FALSE\n\nwhen not matched by source\n    and ${destPartition} in (${staticPartitions.join(', ')})${predicates}\n    then delete\n\n${insert}`,
            reports: true,
          },
        ],
      },
    ];
  }
  const tmp = tempTable(dialect, args.relation.identifier);
  const list = 'dbt_partitions_for_replacement';
  return [
    {
      atomic: true,
      statements: [
        { sql: `declare ${list} array<${partitionValueType(partition)}>` },
        { sql: createTableAs(dialect, tmp, args.sql, {}, true) },
        // IGNORE NULLS: rows without a partition value have no partition to replace.
        { sql: `set (${list}) = (\n    select as struct\n        array_agg(distinct ${partitionExpressionWrapped(partition)} ignore nulls)\n    from ${tmp}\n)` },
        {
          sql: `merge into ${target} as ${DEST}\n    using (\n    select * from ${tmp}\n) as ${SOURCE}\n    on FALSE\n\nwhen not matched by source\n    and ${destPartition} in unnest(${list})${predicates}\n    then delete\n\n${insert}`,
          reports: true,
        },
        { sql: `drop table if exists ${tmp}` },
      ],
    },
  ];
}

export function incrementalPlan(dialect: Dialect, args: IncrementalArgs): SqlPlan {
  switch (args.strategy) {
    case 'merge':
      return mergePlan(dialect, args);
    case 'insert_overwrite':
      return insertOverwritePlan(dialect, args);
    default:
      throw new Error(
        `incremental_strategy '${args.strategy}' is not available on BigQuery (model ${dialect.renderRelation(args.relation)}): use 'merge' or 'insert_overwrite'`,
      );
  }
}

/** on_schema_change: dbt-bigquery's `alter table … add column …, …` (and drop for sync_all_columns). */
export function schemaChangePlan(dialect: Dialect, args: SchemaChangeArgs): SqlPlan {
  const target = dialect.renderRelation(args.relation);
  const plan: SqlPlan = [];
  if (args.add.length > 0) {
    plan.push({
      atomic: true,
      statements: [{ sql: `alter table ${target}\n    ${args.add.map((c) => `add column if not exists ${dialect.quoteIdentifier(c.name)} ${c.data_type}`).join(',\n    ')}` }],
    });
  }
  if (args.remove.length > 0) {
    plan.push({
      atomic: true,
      statements: [{ sql: `alter table ${target}\n    ${args.remove.map((c) => `drop column if exists ${dialect.quoteIdentifier(c.name)}`).join(',\n    ')}` }],
    });
  }
  return plan;
}
