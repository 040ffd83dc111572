

select
    id as order_id,
    user_id as customer_id,
    order_date,
    timestamp_trunc(cast(order_date as timestamp), month) as order_month,
    safe_cast(status as STRING) as status
from `sp01-warehouse`.`raw`.`orders`
where order_date >= '2024-01-01'
