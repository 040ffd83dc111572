-- batch 1
drop table if exists "pg_temp"."orders__dbt_tmp";
create temporary table "orders__dbt_tmp" as (
select order_id, customer_id, order_date, amount from "analytics_staging"."stg_orders"
);

-- batch 2 (one transaction)
delete from "analytics"."orders" as DBT_INTERNAL_DEST
where (order_date, customer_id) in (
    select distinct order_date, customer_id
    from "pg_temp"."orders__dbt_tmp" as DBT_INTERNAL_SOURCE
)
    and DBT_INTERNAL_DEST.order_date >= date '2024-01-01';
insert into "analytics"."orders" ("order_id", "customer_id", "order_date", "amount")
(
    select "order_id", "customer_id", "order_date", "amount"
    from "pg_temp"."orders__dbt_tmp"
); -- reports rows

-- batch 3
drop table if exists "pg_temp"."orders__dbt_tmp";
