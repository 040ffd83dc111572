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
    on (DBT_INTERNAL_SOURCE.order_id = DBT_INTERNAL_DEST.order_id) and (DBT_INTERNAL_SOURCE.customer_id = DBT_INTERNAL_DEST.customer_id)

when matched then update set
    `order_id` = DBT_INTERNAL_SOURCE.`order_id`,
    `customer_id` = DBT_INTERNAL_SOURCE.`customer_id`,
    `status` = DBT_INTERNAL_SOURCE.`status`,
    `amount` = DBT_INTERNAL_SOURCE.`amount`

when not matched then insert
    (`order_id`, `customer_id`, `order_date`, `status`, `amount`)
values
    (`order_id`, `customer_id`, `order_date`, `status`, `amount`)
