-- batch 1
drop table if exists "pg_temp"."orders__dbt_tmp";
create temporary table "orders__dbt_tmp" as (
select order_id, customer_id, order_date, amount from "analytics_staging"."stg_orders"
);

-- batch 2 (one transaction)
insert into "analytics"."orders" ("order_id", "customer_id", "order_date", "amount")
(
    select "order_id", "customer_id", "order_date", "amount"
    from "pg_temp"."orders__dbt_tmp"
); -- reports rows

-- batch 3
drop table if exists "pg_temp"."orders__dbt_tmp";
