-- job 1 of 2
drop table if exists `sp01-test`.`dev_analytics_marts`.`orders`

-- job 2 of 2 (atomic)
create or replace table `sp01-test`.`dev_analytics_marts`.`orders`
partition by order_date
cluster by customer_id
OPTIONS(
    labels=[('domain', 'sales')],
    require_partition_filter=true,
    partition_expiration_days=400
)
as (
with orders as (
    select * from `sp01-test`.`dev_analytics_staging`.`stg_orders`
)
select order_id, customer_id, order_date, status, amount
from orders
where order_date >= (select max(order_date) from `sp01-test`.`dev_analytics_marts`.`orders`)
)
