-- batch 1 (one transaction)
create view "analytics"."orders__dbt_tmp" as (
select order_id, customer_id, order_date, amount from "analytics_staging"."stg_orders"
); -- reports rows
alter view "analytics"."orders__dbt_tmp" rename to "orders";
