

with __dbt__cte__stg_orders as (
select cast(1 as integer) as `order_id`, cast(1 as integer) as `customer_id`, date '2024-01-01' as `order_date`, cast('placed' as text) as `status`
union all
select cast(2 as integer) as `order_id`, cast(1 as integer) as `customer_id`, date '2024-01-09' as `order_date`, cast('placed' as text) as `status`
),
__dbt__cte__int_order_payments as (
select 2 as order_id, 15.0 as total_amount

),
__dbt__cte__this as (
select 1 as `order_id`, 1 as `customer_id`, date '2024-01-05' as `order_date`, 'placed' as `status`, cast(10 as numeric) as `amount`
),
orders as (
    select * from __dbt__cte__stg_orders
),

order_payments as (
    select * from __dbt__cte__int_order_payments
)

select
    orders.order_id,
    orders.customer_id,
    orders.order_date,
    orders.status,
    order_payments.total_amount as amount
from orders
left join order_payments on orders.order_id = order_payments.order_id

where orders.order_date >= (select max(order_date) from __dbt__cte__this)


-- expected
select 2 as `order_id`, cast(15 as numeric) as `amount`
