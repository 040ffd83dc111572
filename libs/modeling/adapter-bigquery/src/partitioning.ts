import type { PartitionBy } from '@sp01/modeling-compiler';

/**
 * dbt-bigquery's PartitionConfig: how `partition_by` becomes a PARTITION BY clause and the
 * expression that names a row's partition. Same spelling as dbt-bigquery so the generated
 * DDL reads the same.
 */

function isTruncated(partition: PartitionBy): boolean {
  return !(partition.data_type === 'int64' || (partition.data_type === 'date' && partition.granularity === 'day'));
}

/** The partition of a row: `order_date`, `timestamp_trunc(created_at, day)`, `date_trunc(d, month)`. */
export function partitionExpression(partition: PartitionBy, alias?: string): string {
  if (partition.time_ingestion_partitioning) {
    throw new Error(`partition_by.time_ingestion_partitioning is not supported by the SP01 BigQuery adapter (field ${partition.field})`);
  }
  const column = alias ? `${alias}.${partition.field}` : partition.field;
  return isTruncated(partition) ? `${partition.data_type}_trunc(${column}, ${partition.granularity})` : column;
}

/** dbt's `render_wrapped`: the partition cast to its own type, so it compares with the array of partitions. */
export function partitionExpressionWrapped(partition: PartitionBy, alias?: string): string {
  const expression = partitionExpression(partition, alias);
  return partition.data_type !== 'int64' && !isTruncated(partition) ? `${partition.data_type}(${expression})` : expression;
}

/** `partition by …` of CREATE TABLE. */
export function partitionByClause(partition: PartitionBy): string {
  if (partition.data_type === 'int64') {
    const range = partition.range;
    if (!range) throw new Error(`partition_by on int64 field ${partition.field} needs range: {start, end, interval}`);
    return `partition by range_bucket(${partition.field}, generate_array(${range.start}, ${range.end}, ${range.interval}))`;
  }
  return `partition by ${partitionExpression(partition)}`;
}

/** The SQL type of a partition value: what `dbt_partitions_for_replacement` holds. */
export function partitionValueType(partition: PartitionBy): string {
  return partition.data_type;
}

/** BigQuery's own description of a table's partitioning, for comparing with the config. */
export interface TablePartitioning {
  timePartitioning?: { type?: string | null; field?: string | null } | null;
  rangePartitioning?: { field?: string | null; range?: { start?: string | number | null; end?: string | number | null; interval?: string | number | null } | null } | null;
  clustering?: { fields?: string[] | null } | null;
}

/**
 * dbt-bigquery's `is_replaceable`: CREATE OR REPLACE TABLE cannot change a table's partitioning
 * or clustering; the table must be dropped first.
 */
export function isReplaceable(existing: TablePartitioning, partition: PartitionBy | null, clusterBy: readonly string[] | null): boolean {
  const existingCluster = (existing.clustering?.fields ?? []).map((f) => f.toLowerCase());
  const wantedCluster = (clusterBy ?? []).map((f) => f.toLowerCase());
  if (existingCluster.join(',') !== wantedCluster.join(',')) return false;
  const time = existing.timePartitioning;
  const range = existing.rangePartitioning;
  if (!partition) return !time && !range;
  if (partition.data_type === 'int64') {
    return (
      Boolean(range) &&
      (range?.field ?? '').toLowerCase() === partition.field.toLowerCase() &&
      Number(range?.range?.start) === partition.range?.start &&
      Number(range?.range?.end) === partition.range?.end &&
      Number(range?.range?.interval) === partition.range?.interval
    );
  }
  return Boolean(time) && (time?.field ?? '').toLowerCase() === partition.field.toLowerCase() && (time?.type ?? 'DAY').toUpperCase() === partition.granularity.toUpperCase();
}
