-- job 1 of 1 (atomic)
create or replace table `sp01-test`.`dev_snapshots`.`customers_snapshot`
as (
select *,
        to_hex(md5(cast(concat(coalesce(cast(id as STRING), ''), '|', coalesce(cast(updated_at as STRING), '')) as STRING))) as dbt_scd_id,
        updated_at as dbt_updated_at,
        updated_at as dbt_valid_from,
        nullif(updated_at, updated_at) as dbt_valid_to
    from (
        select id, first_name, last_name, email, updated_at from `sp01-test`.`dev_raw`.`customers`
    ) sbq
)
