-- batch 1
drop table if exists "pg_temp"."orders__dbt_tmp";
create temporary table "orders__dbt_tmp" as (
select order_id, customer_id, order_date, amount from "analytics_staging"."stg_orders"
);

-- batch 2 (one transaction)
merge into "analytics"."orders" as DBT_INTERNAL_DEST
using "pg_temp"."orders__dbt_tmp" as DBT_INTERNAL_SOURCE
on (DBT_INTERNAL_DEST.order_date >= current_date - 7) and (DBT_INTERNAL_SOURCE.order_id = DBT_INTERNAL_DEST.order_id)
when matched then update set
    "order_id" = DBT_INTERNAL_SOURCE."order_id",
    "customer_id" = DBT_INTERNAL_SOURCE."customer_id",
    "amount" = DBT_INTERNAL_SOURCE."amount"
when not matched then insert
    ("order_id", "customer_id", "order_date", "amount")
values
    (DBT_INTERNAL_SOURCE."order_id", DBT_INTERNAL_SOURCE."customer_id", DBT_INTERNAL_SOURCE."order_date", DBT_INTERNAL_SOURCE."amount"); -- reports rows

-- batch 3
drop table if exists "pg_temp"."orders__dbt_tmp";
