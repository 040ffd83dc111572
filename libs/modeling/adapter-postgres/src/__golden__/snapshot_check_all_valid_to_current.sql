-- batch 1
drop table if exists "pg_temp"."customers_snapshot__dbt_tmp";
create temporary table "customers_snapshot__dbt_tmp" as (
with snapshot_query as (

    select id, name, tier, updated_at from "raw"."customers"

),

snapshotted_data as (

    select *, id as dbt_unique_key
    from "snapshots"."customers_snapshot"
    where ("snapshots"."customers_snapshot".dbt_valid_to = to_timestamp('9999-12-31', 'YYYY-MM-DD')::timestamp or "snapshots"."customers_snapshot".dbt_valid_to is null)

),

insertions_source_data as (

    select *, id as dbt_unique_key,
        now()::timestamp without time zone as dbt_updated_at,
        now()::timestamp without time zone as dbt_valid_from,
        coalesce(nullif(now()::timestamp without time zone, now()::timestamp without time zone), to_timestamp('9999-12-31', 'YYYY-MM-DD')::timestamp) as dbt_valid_to,
        md5(cast(concat(coalesce(cast(id as TEXT), ''), '|', coalesce(cast(now()::timestamp without time zone as TEXT), '')) as TEXT)) as dbt_scd_id

    from snapshot_query
),

updates_source_data as (

    select *, id as dbt_unique_key,
        now()::timestamp without time zone as dbt_updated_at,
        now()::timestamp without time zone as dbt_valid_from,
        now()::timestamp without time zone as dbt_valid_to

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
           (
    snapshotted_data.id != source_data.id
    or
    (
        ((snapshotted_data.id is null) and not (source_data.id is null))
        or
        ((not snapshotted_data.id is null) and (source_data.id is null))
    )
    or
    snapshotted_data.name != source_data.name
    or
    (
        ((snapshotted_data.name is null) and not (source_data.name is null))
        or
        ((not snapshotted_data.name is null) and (source_data.name is null))
    )
    or
    snapshotted_data.tier != source_data.tier
    or
    (
        ((snapshotted_data.tier is null) and not (source_data.tier is null))
        or
        ((not snapshotted_data.tier is null) and (source_data.tier is null))
    )
    or
    snapshotted_data.updated_at != source_data.updated_at
    or
    (
        ((snapshotted_data.updated_at is null) and not (source_data.updated_at is null))
        or
        ((not snapshotted_data.updated_at is null) and (source_data.updated_at is null))
    )
)
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
        (
    snapshotted_data.id != source_data.id
    or
    (
        ((snapshotted_data.id is null) and not (source_data.id is null))
        or
        ((not snapshotted_data.id is null) and (source_data.id is null))
    )
    or
    snapshotted_data.name != source_data.name
    or
    (
        ((snapshotted_data.name is null) and not (source_data.name is null))
        or
        ((not snapshotted_data.name is null) and (source_data.name is null))
    )
    or
    snapshotted_data.tier != source_data.tier
    or
    (
        ((snapshotted_data.tier is null) and not (source_data.tier is null))
        or
        ((not snapshotted_data.tier is null) and (source_data.tier is null))
    )
    or
    snapshotted_data.updated_at != source_data.updated_at
    or
    (
        ((snapshotted_data.updated_at is null) and not (source_data.updated_at is null))
        or
        ((not snapshotted_data.updated_at is null) and (source_data.updated_at is null))
    )
)
    )
)

select * from insertions
union all
select * from updates
);

-- batch 2 (one transaction)
update "snapshots"."customers_snapshot"
set dbt_valid_to = DBT_INTERNAL_SOURCE.dbt_valid_to
from "pg_temp"."customers_snapshot__dbt_tmp" as DBT_INTERNAL_SOURCE
where DBT_INTERNAL_SOURCE.dbt_scd_id::text = "snapshots"."customers_snapshot".dbt_scd_id::text
  and DBT_INTERNAL_SOURCE.dbt_change_type::text in ('update'::text, 'delete'::text)
  and ("snapshots"."customers_snapshot".dbt_valid_to = to_timestamp('9999-12-31', 'YYYY-MM-DD')::timestamp or "snapshots"."customers_snapshot".dbt_valid_to is null); -- reports rows
insert into "snapshots"."customers_snapshot" ("id", "name", "tier", "updated_at", "dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to")
select DBT_INTERNAL_SOURCE."id", DBT_INTERNAL_SOURCE."name", DBT_INTERNAL_SOURCE."tier", DBT_INTERNAL_SOURCE."updated_at", DBT_INTERNAL_SOURCE."dbt_scd_id", DBT_INTERNAL_SOURCE."dbt_updated_at", DBT_INTERNAL_SOURCE."dbt_valid_from", DBT_INTERNAL_SOURCE."dbt_valid_to"
from "pg_temp"."customers_snapshot__dbt_tmp" as DBT_INTERNAL_SOURCE
where DBT_INTERNAL_SOURCE.dbt_change_type::text = 'insert'::text; -- reports rows

-- batch 3
drop table if exists "pg_temp"."customers_snapshot__dbt_tmp";
