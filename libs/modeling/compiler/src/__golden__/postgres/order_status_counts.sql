select
    status,
    date_trunc('month', order_date) as order_month,
    count(*) as number_of_orders,
    sum(amount) as amount
from "analytics_marts"."orders"
group by 1, 2
