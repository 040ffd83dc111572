-- batch 1 (one transaction)
create table "analytics"."orders__dbt_tmp" as (
select order_id, customer_id, order_date, amount from "analytics_staging"."stg_orders"
); -- reports rows
alter table "analytics"."orders__dbt_tmp" rename to "orders";
