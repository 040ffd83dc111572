import type { Dialect, SnapshotConfig } from '@sp01/modeling-compiler';
import type { ColumnDef } from './adapter.js';

/**
 * dbt's snapshot SQL (dbt-core 1.9 `snapshot_staging_table`, `build_snapshot_table` and the
 * timestamp/check strategies), written once over a {@link Dialect} so every adapter produces
 * the same columns with the same values: `dbt_scd_id`, `dbt_updated_at`, `dbt_valid_from`,
 * `dbt_valid_to` (and `dbt_is_deleted` for `hard_deletes: new_record`). Only the final
 * merge of the staging rows into the snapshot table is left to each adapter.
 */

/** dbt's `snapshot_meta_column_names`, defaults filled in. */
export interface SnapshotColumnNames {
  dbt_valid_to: string;
  dbt_valid_from: string;
  dbt_scd_id: string;
  dbt_updated_at: string;
  dbt_is_deleted: string;
}

export function snapshotColumnNames(config: SnapshotConfig): SnapshotColumnNames {
  const custom = (config['snapshot_meta_column_names'] ?? {}) as Partial<Record<keyof SnapshotColumnNames, string>>;
  return {
    dbt_valid_to: custom.dbt_valid_to ?? 'dbt_valid_to',
    dbt_valid_from: custom.dbt_valid_from ?? 'dbt_valid_from',
    dbt_scd_id: custom.dbt_scd_id ?? 'dbt_scd_id',
    dbt_updated_at: custom.dbt_updated_at ?? 'dbt_updated_at',
    dbt_is_deleted: custom.dbt_is_deleted ?? 'dbt_is_deleted',
  };
}

export interface SnapshotSqlOptions {
  dialect: Dialect;
  config: SnapshotConfig;
  /** The snapshot's compiled select. */
  sql: string;
  /** The snapshot table, rendered. */
  target: string;
  /** Columns of the snapshot's select (for `check_cols: all` and `new_record` deletions). */
  source_columns: readonly ColumnDef[];
  /** dbt's `snapshot_get_time()` for this warehouse (PostgreSQL: `now()::timestamp without time zone`). */
  snapshot_time: string;
}

interface Strategy {
  unique_key: string[];
  updated_at: string;
  scd_id: string;
  row_changed: (snapshotted: string, current: string) => string;
}

function keyList(key: string | string[]): string[] {
  return Array.isArray(key) ? key : [key];
}

/** dbt's `snapshot_hash_arguments`: md5 of the arguments cast to text, `|`-separated, nulls as ''. */
export function snapshotHashArguments(dialect: Dialect, args: readonly string[]): string {
  const { macros } = dialect;
  const parts = args.flatMap((arg, i) => {
    const cell = `coalesce(${macros.cast(arg, macros.type_string())}, '')`;
    return i === 0 ? [cell] : ["'|'", cell];
  });
  return macros.hash(macros.concat(parts));
}

function strategyOf(options: SnapshotSqlOptions): Strategy {
  const { config, dialect } = options;
  const uniqueKey = keyList(config.unique_key);
  if (config.strategy === 'timestamp') {
    if (!config.updated_at) throw new Error(`snapshot strategy 'timestamp' needs config updated_at`);
    const updatedAt = config.updated_at;
    return {
      unique_key: uniqueKey,
      updated_at: updatedAt,
      scd_id: snapshotHashArguments(dialect, [...uniqueKey, updatedAt]),
      // dbt: a row changed when its updated_at moved past the current version's valid_from.
      row_changed: (snapshotted, current) => `(${snapshotted}.${snapshotColumnNames(config).dbt_valid_from} < ${current}.${updatedAt})`,
    };
  }
  const checkCols =
    config.check_cols === 'all' || config.check_cols === null
      ? options.source_columns.map((c) => c.name)
      : config.check_cols;
  // dbt 1.9: the check strategy stamps rows with updated_at when configured, else the snapshot time.
  const updatedAt = config.updated_at ?? options.snapshot_time;
  return {
    unique_key: uniqueKey,
    updated_at: updatedAt,
    scd_id: snapshotHashArguments(dialect, [...uniqueKey, updatedAt]),
    row_changed: (snapshotted, current) =>
      `(\n${checkCols
        .map((col) => `    ${snapshotted}.${col} != ${current}.${col}\n    or\n    (\n        ((${snapshotted}.${col} is null) and not (${current}.${col} is null))\n        or\n        ((not ${snapshotted}.${col} is null) and (${current}.${col} is null))\n    )`)
        .join('\n    or\n')}\n)`,
  };
}

function quote(dialect: Dialect, name: string): string {
  return dialect.quoteIdentifier(name);
}

function uniqueKeyFields(key: readonly string[]): string {
  if (key.length === 1) return `${key[0]} as dbt_unique_key`;
  return key.map((k, i) => `${k} as dbt_unique_key_${i + 1}`).join(', ');
}

function uniqueKeyJoinOn(key: readonly string[], left: string, right: string): string {
  if (key.length === 1) return `${left}.dbt_unique_key = ${right}.dbt_unique_key`;
  return key.map((_, i) => `${left}.dbt_unique_key_${i + 1} = ${right}.dbt_unique_key_${i + 1}`).join(' and ');
}

function uniqueKeyIsNull(key: readonly string[], relation: string): string {
  if (key.length === 1) return `${relation}.dbt_unique_key is null`;
  return key.map((_, i) => `${relation}.dbt_unique_key_${i + 1} is null`).join(' and ');
}

function uniqueKeyIsNotNull(key: readonly string[], relation: string): string {
  if (key.length === 1) return `${relation}.dbt_unique_key is not null`;
  return key.map((_, i) => `${relation}.dbt_unique_key_${i + 1} is not null`).join(' and ');
}

function validToCurrent(options: SnapshotSqlOptions, names: SnapshotColumnNames, strategy: Strategy): string {
  const current = options.config.dbt_valid_to_current;
  // dbt's get_dbt_valid_to_current: null typed like updated_at, or the configured far-future value.
  return current
    ? `coalesce(nullif(${strategy.updated_at}, ${strategy.updated_at}), ${current}) as ${names.dbt_valid_to}`
    : `nullif(${strategy.updated_at}, ${strategy.updated_at}) as ${names.dbt_valid_to}`;
}

function isCurrent(options: SnapshotSqlOptions, relation: string, names: SnapshotColumnNames): string {
  const current = options.config.dbt_valid_to_current;
  return current
    ? `(${relation}.${names.dbt_valid_to} = ${current} or ${relation}.${names.dbt_valid_to} is null)`
    : `${relation}.${names.dbt_valid_to} is null`;
}

/** dbt's `build_snapshot_table`: the select that creates the snapshot table on the first run. */
export function snapshotCreateSelect(options: SnapshotSqlOptions): string {
  const names = snapshotColumnNames(options.config);
  const strategy = strategyOf(options);
  const deleted = options.config.hard_deletes === 'new_record' ? `,\n        'False' as ${names.dbt_is_deleted}` : '';
  return `select *,
        ${strategy.scd_id} as ${names.dbt_scd_id},
        ${strategy.updated_at} as ${names.dbt_updated_at},
        ${strategy.updated_at} as ${names.dbt_valid_from},
        ${validToCurrent(options, names, strategy)}${deleted}
    from (
        ${options.sql}
    ) sbq`;
}

/**
 * dbt's `snapshot_staging_table`: one row per change, `dbt_change_type` insert/update/delete,
 * with the scd id of the version an update or delete closes.
 */
export function snapshotStagingSelect(options: SnapshotSqlOptions): string {
  const { config } = options;
  const names = snapshotColumnNames(config);
  const strategy = strategyOf(options);
  const key = strategy.unique_key;
  const time = options.snapshot_time;
  const deletes = config.hard_deletes === 'invalidate' || config.hard_deletes === 'new_record';
  const newRecord = config.hard_deletes === 'new_record';
  const changed = (s: string, c: string) =>
    `${strategy.row_changed(s, c)}${newRecord ? ` or ${s}.${names.dbt_is_deleted} = 'True'` : ''}`;
  const parts: string[] = [];
  parts.push(`with snapshot_query as (

    ${options.sql}

),

snapshotted_data as (

    select *, ${uniqueKeyFields(key)}
    from ${options.target}
    where ${isCurrent(options, options.target, names)}

),

insertions_source_data as (

    select *, ${uniqueKeyFields(key)},
        ${strategy.updated_at} as ${names.dbt_updated_at},
        ${strategy.updated_at} as ${names.dbt_valid_from},
        ${validToCurrent(options, names, strategy)},
        ${strategy.scd_id} as ${names.dbt_scd_id}

    from snapshot_query
),

updates_source_data as (

    select *, ${uniqueKeyFields(key)},
        ${strategy.updated_at} as ${names.dbt_updated_at},
        ${strategy.updated_at} as ${names.dbt_valid_from},
        ${strategy.updated_at} as ${names.dbt_valid_to}

    from snapshot_query
),`);
  if (deletes) {
    parts.push(`
deletes_source_data as (

    select *, ${uniqueKeyFields(key)}
    from snapshot_query
),`);
  }
  parts.push(`
insertions as (

    select
        'insert' as dbt_change_type,
        source_data.*${newRecord ? `,\n        'False' as ${names.dbt_is_deleted}` : ''}

    from insertions_source_data as source_data
    left outer join snapshotted_data
        on ${uniqueKeyJoinOn(key, 'snapshotted_data', 'source_data')}
        where ${uniqueKeyIsNull(key, 'snapshotted_data')}
        or (${uniqueKeyIsNotNull(key, 'snapshotted_data')} and (
           ${changed('snapshotted_data', 'source_data')}
        )
    )

),

updates as (

    select
        'update' as dbt_change_type,
        source_data.*,
        snapshotted_data.${names.dbt_scd_id}${newRecord ? `,\n        snapshotted_data.${names.dbt_is_deleted}` : ''}

    from updates_source_data as source_data
    join snapshotted_data
        on ${uniqueKeyJoinOn(key, 'snapshotted_data', 'source_data')}
    where (
        ${changed('snapshotted_data', 'source_data')}
    )
)`);
  const notAlreadyDeleted = `not (
            snapshotted_data.${names.dbt_is_deleted} = 'True'
            and
            ${isCurrent(options, 'snapshotted_data', names)}
        )`;
  if (deletes) {
    parts.push(`,

deletes as (

    select
        'delete' as dbt_change_type,
        source_data.*,
        ${time} as ${names.dbt_valid_from},
        ${time} as ${names.dbt_updated_at},
        ${time} as ${names.dbt_valid_to},
        snapshotted_data.${names.dbt_scd_id}${newRecord ? `,\n        snapshotted_data.${names.dbt_is_deleted}` : ''}

    from snapshotted_data
    left join deletes_source_data as source_data
        on ${uniqueKeyJoinOn(key, 'snapshotted_data', 'source_data')}
    where ${uniqueKeyIsNull(key, 'source_data')}${newRecord ? `\n        and ${notAlreadyDeleted}` : ''}
)`);
  }
  if (newRecord) {
    const keyColumns =
      key.length === 1
        ? 'snapshotted_data.dbt_unique_key as dbt_unique_key'
        : key.map((k, i) => `snapshotted_data.${k} as dbt_unique_key_${i + 1}`).join(',\n        ');
    parts.push(`,

deletion_records as (

    select
        'insert' as dbt_change_type,
        ${options.source_columns.map((c) => `snapshotted_data.${quote(options.dialect, c.name)}`).join(',\n        ')},
        ${keyColumns},
        ${time} as ${names.dbt_valid_from},
        ${time} as ${names.dbt_updated_at},
        snapshotted_data.${names.dbt_valid_to} as ${names.dbt_valid_to},
        ${snapshotHashArguments(options.dialect, [`snapshotted_data.${names.dbt_scd_id}`, time])} as ${names.dbt_scd_id},
        'True' as ${names.dbt_is_deleted}
    from snapshotted_data
    left join deletes_source_data as source_data
        on ${uniqueKeyJoinOn(key, 'snapshotted_data', 'source_data')}
    where ${uniqueKeyIsNull(key, 'source_data')}
    and ${notAlreadyDeleted}
)`);
  }
  parts.push(`

select * from insertions
union all
select * from updates`);
  if (deletes) parts.push(`\nunion all\nselect * from deletes`);
  if (newRecord) parts.push(`\nunion all\nselect * from deletion_records`);
  return parts.join('');
}
