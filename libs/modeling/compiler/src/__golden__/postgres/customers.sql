with customers as (
    select * from "analytics_staging"."stg_customers"
),

customer_orders as (
    select
        customer_id,
        min(order_date) as first_order,
        max(order_date) as most_recent_order,
        count(order_id) as number_of_orders,
        sum(amount) as lifetime_value
    from "analytics_marts"."orders"
    group by customer_id
)

select
    customers.customer_id,
    customers.full_name,
    customer_orders.first_order,
    customer_orders.most_recent_order,
    ((customer_orders.most_recent_order)::date - (customer_orders.first_order)::date) as active_days,
    coalesce(customer_orders.number_of_orders, 0) as number_of_orders,
    customer_orders.lifetime_value
from customers
left join customer_orders on customers.customer_id = customer_orders.customer_id
