-- job 1 of 1 (atomic)
declare dbt_rows_affected int64 default 0;

create temp table `customers_snapshot__dbt_tmp`
as (
with snapshot_query as (

    select id, first_name, last_name, email, updated_at from `sp01-test`.`dev_raw`.`customers`

),

snapshotted_data as (

    select *, id as dbt_unique_key
    from `sp01-test`.`dev_snapshots`.`customers_snapshot`
    where dbt_valid_to is null

),

insertions_source_data as (

    select *, id as dbt_unique_key,
        updated_at as dbt_updated_at,
        updated_at as dbt_valid_from,
        nullif(updated_at, updated_at) as dbt_valid_to,
        to_hex(md5(cast(concat(coalesce(cast(id as STRING), ''), '|', coalesce(cast(updated_at as STRING), '')) as STRING))) as dbt_scd_id

    from snapshot_query
),

updates_source_data as (

    select *, id as dbt_unique_key,
        updated_at as dbt_updated_at,
        updated_at as dbt_valid_from,
        updated_at as dbt_valid_to

    from snapshot_query
),
deletes_source_data as (

    select *, id as dbt_unique_key
    from snapshot_query
),
insertions as (

    select
        'insert' as dbt_change_type,
        source_data.*

    from insertions_source_data as source_data
    left outer join snapshotted_data
        on snapshotted_data.dbt_unique_key = source_data.dbt_unique_key
        where snapshotted_data.dbt_unique_key is null
        or (snapshotted_data.dbt_unique_key is not null and (
           (snapshotted_data.dbt_valid_from < source_data.updated_at)
        )
    )

),

updates as (

    select
        'update' as dbt_change_type,
        source_data.*,
        snapshotted_data.dbt_scd_id

    from updates_source_data as source_data
    join snapshotted_data
        on snapshotted_data.dbt_unique_key = source_data.dbt_unique_key
    where (
        (snapshotted_data.dbt_valid_from < source_data.updated_at)
    )
),

deletes as (

    select
        'delete' as dbt_change_type,
        source_data.*,
        current_timestamp() as dbt_valid_from,
        current_timestamp() as dbt_updated_at,
        current_timestamp() as dbt_valid_to,
        snapshotted_data.dbt_scd_id

    from snapshotted_data
    left join deletes_source_data as source_data
        on snapshotted_data.dbt_unique_key = source_data.dbt_unique_key
    where source_data.dbt_unique_key is null
)

select * from insertions
union all
select * from updates
union all
select * from deletes
);

merge into `sp01-test`.`dev_snapshots`.`customers_snapshot` as DBT_INTERNAL_DEST
using `customers_snapshot__dbt_tmp` as DBT_INTERNAL_SOURCE
on DBT_INTERNAL_SOURCE.dbt_scd_id = DBT_INTERNAL_DEST.dbt_scd_id

when matched
 and DBT_INTERNAL_DEST.dbt_valid_to is null
 and DBT_INTERNAL_SOURCE.dbt_change_type in ('update', 'delete')
    then update
    set dbt_valid_to = DBT_INTERNAL_SOURCE.dbt_valid_to

when not matched
 and DBT_INTERNAL_SOURCE.dbt_change_type = 'insert'
    then insert (`id`, `first_name`, `last_name`, `email`, `updated_at`, `dbt_scd_id`, `dbt_updated_at`, `dbt_valid_from`, `dbt_valid_to`)
    values (`id`, `first_name`, `last_name`, `email`, `updated_at`, `dbt_scd_id`, `dbt_updated_at`, `dbt_valid_from`, `dbt_valid_to`);

set dbt_rows_affected = dbt_rows_affected + coalesce(@@row_count, 0);

drop table if exists `customers_snapshot__dbt_tmp`;

select dbt_rows_affected;
