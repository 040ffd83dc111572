import type { Dialect } from '@sp01/modeling-compiler';
import type { SnapshotArgs, SqlPlan } from '@sp01/modeling-executor';
import { snapshotColumnNames, snapshotCreateSelect, snapshotStagingSelect } from '@sp01/modeling-executor';
import { createTableAs, DEST, SOURCE } from './model-plans.js';

/** dbt-bigquery's `snapshot_get_time`. */
export const SNAPSHOT_TIME = 'current_timestamp()';

/**
 * dbt's snapshot on BigQuery. First run: the table is created from `build_snapshot_table`
 * (the select plus dbt_scd_id, dbt_updated_at, dbt_valid_from, dbt_valid_to). Later runs: one
 * script stages the changes (the executor's shared `snapshot_staging_table`) in a temp table
 * and ONE merge closes changed/deleted versions and inserts new ones — dbt's
 * `snapshot_merge_sql` word for word.
 */
export function snapshotPlan(dialect: Dialect, args: SnapshotArgs): SqlPlan {
  const target = dialect.renderRelation(args.relation);
  const options = { dialect, config: args.config, sql: args.sql.trim(), target, source_columns: args.source_columns, snapshot_time: SNAPSHOT_TIME };
  if (!args.existing) {
    return [{ atomic: true, statements: [{ sql: createTableAs(dialect, target, snapshotCreateSelect(options), {}), reports: true }] }];
  }
  const names = snapshotColumnNames(args.config);
  // GoogleSQL cannot qualify a column with a project.dataset.table path (only with the
  // table's alias), so the current-version filter names dbt_valid_to bare, as dbt-core does.
  const stagingSelect = snapshotStagingSelect(options).split(`${target}.${names.dbt_valid_to}`).join(names.dbt_valid_to);
  const staging = dialect.quoteIdentifier(`${args.relation.identifier}__dbt_tmp`);
  const current = args.config.dbt_valid_to_current;
  const isCurrent = current
    ? `(${DEST}.${names.dbt_valid_to} = ${current} or ${DEST}.${names.dbt_valid_to} is null)`
    : `${DEST}.${names.dbt_valid_to} is null`;
  const insertColumns = args.target_columns.map((c) => dialect.quoteIdentifier(c.name)).join(', ');
  const merge = `merge into ${target} as ${DEST}
using ${staging} as ${SOURCE}
on ${SOURCE}.${names.dbt_scd_id} = ${DEST}.${names.dbt_scd_id}

when matched
 and ${isCurrent}
 and ${SOURCE}.dbt_change_type in ('update', 'delete')
    then update
    set ${names.dbt_valid_to} = ${SOURCE}.${names.dbt_valid_to}

when not matched
 and ${SOURCE}.dbt_change_type = 'insert'
    then insert (${insertColumns})
    values (${insertColumns})`;
  return [
    {
      atomic: true,
      statements: [
        { sql: createTableAs(dialect, staging, stagingSelect, {}, true) },
        { sql: merge, reports: true },
        { sql: `drop table if exists ${staging}` },
      ],
    },
  ];
}
