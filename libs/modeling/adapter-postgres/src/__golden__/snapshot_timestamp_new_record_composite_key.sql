-- batch 1
drop table if exists "pg_temp"."customers_snapshot__dbt_tmp";
create temporary table "customers_snapshot__dbt_tmp" as (
with snapshot_query as (

    select id, name, tier, updated_at from "raw"."customers"

),

snapshotted_data as (

    select *, id as dbt_unique_key_1, tier as dbt_unique_key_2
    from "snapshots"."customers_snapshot"
    where "snapshots"."customers_snapshot".dbt_valid_to is null

),

insertions_source_data as (

    select *, id as dbt_unique_key_1, tier as dbt_unique_key_2,
        updated_at as dbt_updated_at,
        updated_at as dbt_valid_from,
        nullif(updated_at, updated_at) as dbt_valid_to,
        md5(cast(concat(coalesce(cast(id as TEXT), ''), '|', coalesce(cast(tier as TEXT), ''), '|', coalesce(cast(updated_at as TEXT), '')) as TEXT)) as dbt_scd_id

    from snapshot_query
),

updates_source_data as (

    select *, id as dbt_unique_key_1, tier as dbt_unique_key_2,
        updated_at as dbt_updated_at,
        updated_at as dbt_valid_from,
        updated_at as dbt_valid_to

    from snapshot_query
),
deletes_source_data as (

    select *, id as dbt_unique_key_1, tier as dbt_unique_key_2
    from snapshot_query
),
insertions as (

    select
        'insert' as dbt_change_type,
        source_data.*,
        'False' as dbt_is_deleted

    from insertions_source_data as source_data
    left outer join snapshotted_data
        on snapshotted_data.dbt_unique_key_1 = source_data.dbt_unique_key_1 and snapshotted_data.dbt_unique_key_2 = source_data.dbt_unique_key_2
        where snapshotted_data.dbt_unique_key_1 is null and snapshotted_data.dbt_unique_key_2 is null
        or (snapshotted_data.dbt_unique_key_1 is not null and snapshotted_data.dbt_unique_key_2 is not null and (
           (snapshotted_data.dbt_valid_from < source_data.updated_at) or snapshotted_data.dbt_is_deleted = 'True'
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
        on snapshotted_data.dbt_unique_key_1 = source_data.dbt_unique_key_1 and snapshotted_data.dbt_unique_key_2 = source_data.dbt_unique_key_2
    where (
        (snapshotted_data.dbt_valid_from < source_data.updated_at) or snapshotted_data.dbt_is_deleted = 'True'
    )
),

deletes as (

    select
        'delete' as dbt_change_type,
        source_data.*,
        now()::timestamp without time zone as dbt_valid_from,
        now()::timestamp without time zone as dbt_updated_at,
        now()::timestamp without time zone as dbt_valid_to,
        snapshotted_data.dbt_scd_id,
        snapshotted_data.dbt_is_deleted

    from snapshotted_data
    left join deletes_source_data as source_data
        on snapshotted_data.dbt_unique_key_1 = source_data.dbt_unique_key_1 and snapshotted_data.dbt_unique_key_2 = source_data.dbt_unique_key_2
    where source_data.dbt_unique_key_1 is null and source_data.dbt_unique_key_2 is null
        and not (
            snapshotted_data.dbt_is_deleted = 'True'
            and
            snapshotted_data.dbt_valid_to is null
        )
),

deletion_records as (

    select
        'insert' as dbt_change_type,
        snapshotted_data."id",
        snapshotted_data."name",
        snapshotted_data."tier",
        snapshotted_data."updated_at",
        snapshotted_data.id as dbt_unique_key_1,
        snapshotted_data.tier as dbt_unique_key_2,
        now()::timestamp without time zone as dbt_valid_from,
        now()::timestamp without time zone as dbt_updated_at,
        snapshotted_data.dbt_valid_to as dbt_valid_to,
        md5(cast(concat(coalesce(cast(snapshotted_data.dbt_scd_id as TEXT), ''), '|', coalesce(cast(now()::timestamp without time zone as TEXT), '')) as TEXT)) as dbt_scd_id,
        'True' as dbt_is_deleted
    from snapshotted_data
    left join deletes_source_data as source_data
        on snapshotted_data.dbt_unique_key_1 = source_data.dbt_unique_key_1 and snapshotted_data.dbt_unique_key_2 = source_data.dbt_unique_key_2
    where source_data.dbt_unique_key_1 is null and source_data.dbt_unique_key_2 is null
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

-- batch 2 (one transaction)
update "snapshots"."customers_snapshot"
set dbt_valid_to = DBT_INTERNAL_SOURCE.dbt_valid_to
from "pg_temp"."customers_snapshot__dbt_tmp" as DBT_INTERNAL_SOURCE
where DBT_INTERNAL_SOURCE.dbt_scd_id::text = "snapshots"."customers_snapshot".dbt_scd_id::text
  and DBT_INTERNAL_SOURCE.dbt_change_type::text in ('update'::text, 'delete'::text)
  and "snapshots"."customers_snapshot".dbt_valid_to is null; -- reports rows
insert into "snapshots"."customers_snapshot" ("id", "name", "tier", "updated_at", "dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to", "dbt_is_deleted")
select DBT_INTERNAL_SOURCE."id", DBT_INTERNAL_SOURCE."name", DBT_INTERNAL_SOURCE."tier", DBT_INTERNAL_SOURCE."updated_at", DBT_INTERNAL_SOURCE."dbt_scd_id", DBT_INTERNAL_SOURCE."dbt_updated_at", DBT_INTERNAL_SOURCE."dbt_valid_from", DBT_INTERNAL_SOURCE."dbt_valid_to", DBT_INTERNAL_SOURCE."dbt_is_deleted"
from "pg_temp"."customers_snapshot__dbt_tmp" as DBT_INTERNAL_SOURCE
where DBT_INTERNAL_SOURCE.dbt_change_type::text = 'insert'::text; -- reports rows

-- batch 3
drop table if exists "pg_temp"."customers_snapshot__dbt_tmp";
