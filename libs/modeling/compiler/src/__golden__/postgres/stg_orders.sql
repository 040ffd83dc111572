

select
    id as order_id,
    user_id as customer_id,
    order_date,
    date_trunc('month', order_date) as order_month,
    cast(status as TEXT) as status
from "raw"."orders"
where order_date >= '2024-01-01'
