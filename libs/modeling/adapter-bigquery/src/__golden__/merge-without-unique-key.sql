-- job 1 of 1 (atomic)
merge into `sp01-test`.`dev_analytics_marts`.`orders` as DBT_INTERNAL_DEST
    using (
with orders as (
    select * from `sp01-test`.`dev_analytics_staging`.`stg_orders`
)
select order_id, customer_id, order_date, status, amount
from orders
where order_date >= (select max(order_date) from `sp01-test`.`dev_analytics_marts`.`orders`)
) as DBT_INTERNAL_SOURCE
    on (DBT_INTERNAL_DEST.order_date >= date_sub(current_date(), interval 7 day)) and (FALSE)

when not matched then insert
    (`order_id`, `customer_id`, `order_date`, `status`, `amount`)
values
    (`order_id`, `customer_id`, `order_date`, `status`, `amount`)
