-- batch 1 (one transaction)
create table "snapshots"."customers_snapshot" as (
select *,
        md5(cast(concat(coalesce(cast(id as TEXT), ''), '|', coalesce(cast(updated_at as TEXT), '')) as TEXT)) as dbt_scd_id,
        updated_at as dbt_updated_at,
        updated_at as dbt_valid_from,
        nullif(updated_at, updated_at) as dbt_valid_to
    from (
        select id, name, tier, updated_at from "raw"."customers"
    ) sbq
); -- reports rows
