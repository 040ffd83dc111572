import type { ModelConfig, PartitionBy, Relation, SnapshotConfig } from '@sp01/modeling-compiler';
import type { ColumnDef } from '@sp01/modeling-executor';
import { placedDialect } from '../bigquery-relations.js';
import type { BigQueryExistingRelation } from '../model-plans.js';

/**
 * Fixture nodes for golden SQL, shaped after the compiler's jaffle project (orders partitioned
 * by day and clustered, top-ups replaced per partition, snapshots of customers and order
 * statuses) but written out here so the goldens change only when the adapter does.
 */

export const PROJECT = 'sp01-test';
export const LOCATION = 'asia-east1';
export const dialect = placedDialect({ projectId: PROJECT, datasetPrefix: 'dev_' });

export const relation = (schema: string, identifier: string): Relation => ({ database: null, schema, identifier });

export const ORDERS = relation('analytics_marts', 'orders');
export const TOP_UPS_BY_DAY = relation('analytics_marts', 'top_ups_by_day');
export const EVENTS = relation('analytics_marts', 'top_up_events');

export const BY_ORDER_DATE: PartitionBy = { field: 'order_date', data_type: 'date', granularity: 'day' };
export const BY_TOP_UP_DATE: PartitionBy = { field: 'top_up_date', data_type: 'date', granularity: 'day' };
export const BY_HOUR: PartitionBy = { field: 'topped_up_at', data_type: 'timestamp', granularity: 'hour' };

export const ORDERS_SQL = `with orders as (
    select * from \`sp01-test\`.\`dev_analytics_staging\`.\`stg_orders\`
)
select order_id, customer_id, order_date, status, amount
from orders
where order_date >= (select max(order_date) from \`sp01-test\`.\`dev_analytics_marts\`.\`orders\`)`;

export const TOP_UPS_SQL = `select top_up_date, channel, sum(amount) as amount
from \`sp01-test\`.\`dev_analytics_marts\`.\`daily_top_ups\`
where top_up_date >= date_sub(current_date(), interval 3 day)
group by 1, 2`;

export const EVENTS_SQL = `select top_up_id, member_id, amount, topped_up_at
from \`sp01-test\`.\`dev_analytics_staging\`.\`stg_top_ups\`
where topped_up_at > timestamp_sub(current_timestamp(), interval 6 hour)`;

export const ORDER_COLUMNS: ColumnDef[] = [
  { name: 'order_id', data_type: 'INT64' },
  { name: 'customer_id', data_type: 'INT64' },
  { name: 'order_date', data_type: 'DATE' },
  { name: 'status', data_type: 'STRING' },
  { name: 'amount', data_type: 'NUMERIC' },
];

export const TOP_UP_COLUMNS: ColumnDef[] = [
  { name: 'top_up_date', data_type: 'DATE' },
  { name: 'channel', data_type: 'STRING' },
  { name: 'amount', data_type: 'NUMERIC' },
];

export const EVENT_COLUMNS: ColumnDef[] = [
  { name: 'top_up_id', data_type: 'STRING' },
  { name: 'member_id', data_type: 'STRING' },
  { name: 'amount', data_type: 'NUMERIC' },
  { name: 'topped_up_at', data_type: 'TIMESTAMP' },
];

export function existingTable(of: Relation, partitioning: BigQueryExistingRelation['partitioning'] = {}): BigQueryExistingRelation {
  return { ...of, type: 'table', partitioning };
}

export const ORDERS_CONFIG: Partial<ModelConfig> = {
  materialized: 'incremental',
  partition_by: BY_ORDER_DATE,
  cluster_by: ['customer_id'],
  labels: { domain: 'sales' },
  require_partition_filter: true,
  partition_expiration_days: 400,
};

export const ORDERS_LAYOUT: BigQueryExistingRelation['partitioning'] = {
  timePartitioning: { type: 'DAY', field: 'order_date' },
  clustering: { fields: ['customer_id'] },
};

export function snapshotConfig(overrides: Partial<SnapshotConfig>): SnapshotConfig {
  return {
    enabled: true,
    tags: [],
    meta: {},
    schema: null,
    database: null,
    alias: null,
    pre_hook: [],
    post_hook: [],
    materialized: 'snapshot',
    strategy: 'timestamp',
    unique_key: 'id',
    updated_at: 'updated_at',
    check_cols: null,
    hard_deletes: 'ignore',
    target_schema: null,
    target_database: null,
    dbt_valid_to_current: null,
    ...overrides,
  };
}
