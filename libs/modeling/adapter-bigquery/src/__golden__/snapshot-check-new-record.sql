-- job 1 of 1 (atomic)
declare dbt_rows_affected int64 default 0;

create temp table `orders_status_snapshot__dbt_tmp`
as (
with snapshot_query as (

    select order_id, status, customer_id from `sp01-test`.`dev_analytics_staging`.`stg_orders`

),

snapshotted_data as (

    select *, order_id as dbt_unique_key
    from `sp01-test`.`dev_analytics_history`.`orders_status_snapshot`
    where dbt_valid_to is null

),

insertions_source_data as (

    select *, order_id as dbt_unique_key,
        current_timestamp() as dbt_updated_at,
        current_timestamp() as dbt_valid_from,
        nullif(current_timestamp(), current_timestamp()) as dbt_valid_to,
        to_hex(md5(cast(concat(coalesce(cast(order_id as STRING), ''), '|', coalesce(cast(current_timestamp() as STRING), '')) as STRING))) as dbt_scd_id

    from snapshot_query
),

updates_source_data as (

    select *, order_id as dbt_unique_key,
        current_timestamp() as dbt_updated_at,
        current_timestamp() as dbt_valid_from,
        current_timestamp() as dbt_valid_to

    from snapshot_query
),
deletes_source_data as (

    select *, order_id as dbt_unique_key
    from snapshot_query
),
insertions as (

    select
        'insert' as dbt_change_type,
        source_data.*,
        'False' as dbt_is_deleted

    from insertions_source_data as source_data
    left outer join snapshotted_data
        on snapshotted_data.dbt_unique_key = source_data.dbt_unique_key
        where snapshotted_data.dbt_unique_key is null
        or (snapshotted_data.dbt_unique_key is not null and (
           (
    snapshotted_data.status != source_data.status
    or
    (
        ((snapshotted_data.status is null) and not (source_data.status is null))
        or
        ((not snapshotted_data.status is null) and (source_data.status is null))
    )
) or snapshotted_data.dbt_is_deleted = 'True'
        )
    )

),

updates as (

    select
        'update' as dbt_change_type,
        source_data.*,
        snapshotted_data.dbt_scd_id,
        snapshotted_data.dbt_is_deleted

    from updates_source_data as source_data
    join snapshotted_data
        on snapshotted_data.dbt_unique_key = source_data.dbt_unique_key
    where (
        (
    snapshotted_data.status != source_data.status
    or
    (
        ((snapshotted_data.status is null) and not (source_data.status is null))
        or
        ((not snapshotted_data.status is null) and (source_data.status is null))
    )
) or snapshotted_data.dbt_is_deleted = 'True'
    )
),

deletes as (

    select
        'delete' as dbt_change_type,
        source_data.*,
        current_timestamp() as dbt_valid_from,
        current_timestamp() as dbt_updated_at,
        current_timestamp() as dbt_valid_to,
        snapshotted_data.dbt_scd_id,
        snapshotted_data.dbt_is_deleted

    from snapshotted_data
    left join deletes_source_data as source_data
        on snapshotted_data.dbt_unique_key = source_data.dbt_unique_key
    where source_data.dbt_unique_key is null
        and not (
            snapshotted_data.dbt_is_deleted = 'True'
            and
            snapshotted_data.dbt_valid_to is null
        )
),

deletion_records as (

    select
        'insert' as dbt_change_type,
        snapshotted_data.`order_id`,
        snapshotted_data.`status`,
        snapshotted_data.`customer_id`,
        snapshotted_data.dbt_unique_key as dbt_unique_key,
        current_timestamp() as dbt_valid_from,
        current_timestamp() as dbt_updated_at,
        snapshotted_data.dbt_valid_to as dbt_valid_to,
        to_hex(md5(cast(concat(coalesce(cast(snapshotted_data.dbt_scd_id as STRING), ''), '|', coalesce(cast(current_timestamp() as STRING), '')) as STRING))) as dbt_scd_id,
        'True' as dbt_is_deleted
    from snapshotted_data
    left join deletes_source_data as source_data
        on snapshotted_data.dbt_unique_key = source_data.dbt_unique_key
    where source_data.dbt_unique_key is null
    and not (
            snapshotted_data.dbt_is_deleted = 'True'
            and
            snapshotted_data.dbt_valid_to is null
        )
)

select * from insertions
union all
select * from updates
union all
select * from deletes
union all
select * from deletion_records
);

merge into `sp01-test`.`dev_analytics_history`.`orders_status_snapshot` as DBT_INTERNAL_DEST
using `orders_status_snapshot__dbt_tmp` as DBT_INTERNAL_SOURCE
on DBT_INTERNAL_SOURCE.dbt_scd_id = DBT_INTERNAL_DEST.dbt_scd_id

when matched
 and DBT_INTERNAL_DEST.dbt_valid_to is null
 and DBT_INTERNAL_SOURCE.dbt_change_type in ('update', 'delete')
    then update
    set dbt_valid_to = DBT_INTERNAL_SOURCE.dbt_valid_to

when not matched
 and DBT_INTERNAL_SOURCE.dbt_change_type = 'insert'
    then insert (`order_id`, `status`, `customer_id`, `dbt_scd_id`, `dbt_updated_at`, `dbt_valid_from`, `dbt_valid_to`, `dbt_is_deleted`)
    values (`order_id`, `status`, `customer_id`, `dbt_scd_id`, `dbt_updated_at`, `dbt_valid_from`, `dbt_valid_to`, `dbt_is_deleted`);

set dbt_rows_affected = dbt_rows_affected + coalesce(@@row_count, 0);

drop table if exists `orders_status_snapshot__dbt_tmp`;

select dbt_rows_affected;
