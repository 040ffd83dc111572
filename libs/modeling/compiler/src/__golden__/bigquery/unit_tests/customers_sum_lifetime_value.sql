with __dbt__cte__stg_customers as (
select cast(1 as integer) as `customer_id`, 'Ada Lovelace' as `full_name`
union all
select cast(2 as integer) as `customer_id`, 'Alan Turing' as `full_name`
),
__dbt__cte__orders as (
select 1 as `order_id`, 1 as `customer_id`, date '2024-01-01' as `order_date`, cast(10 as numeric) as `amount`
union all
select 2 as `order_id`, 1 as `customer_id`, date '2024-01-05' as `order_date`, cast(15 as numeric) as `amount`
),
customers as (
    select * from __dbt__cte__stg_customers
),

customer_orders as (
    select
        customer_id,
        min(order_date) as first_order,
        max(order_date) as most_recent_order,
        count(order_id) as number_of_orders,
        sum(amount) as lifetime_value
    from __dbt__cte__orders
    group by customer_id
)

select
    customers.customer_id,
    customers.full_name,
    customer_orders.first_order,
    customer_orders.most_recent_order,
    datetime_diff(cast(customer_orders.most_recent_order as datetime), cast(customer_orders.first_order as datetime), day) as active_days,
    coalesce(customer_orders.number_of_orders, 0) as number_of_orders,
    customer_orders.lifetime_value
from customers
left join customer_orders on customers.customer_id = customer_orders.customer_id

-- expected
select cast(1 as integer) as `customer_id`, cast(2 as bigint) as `number_of_orders`, cast(25 as numeric) as `lifetime_value`
union all
select cast(2 as integer) as `customer_id`, cast(0 as bigint) as `number_of_orders`, cast(null as numeric) as `lifetime_value`
