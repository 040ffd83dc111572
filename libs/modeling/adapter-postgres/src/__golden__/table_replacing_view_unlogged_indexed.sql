-- batch 1 (one transaction)
create unlogged table "analytics"."orders__dbt_tmp" as (
select order_id, customer_id, order_date, amount from "analytics_staging"."stg_orders"
); -- reports rows
create unique index on "analytics"."orders__dbt_tmp" ("order_id");
create index on "analytics"."orders__dbt_tmp" using btree ("customer_id", "order_date");
alter view "analytics"."orders" rename to "orders__dbt_backup";
alter table "analytics"."orders__dbt_tmp" rename to "orders";
drop view if exists "analytics"."orders__dbt_backup" cascade;
