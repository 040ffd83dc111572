select
    status,
    timestamp_trunc(cast(order_date as timestamp), month) as order_month,
    count(*) as number_of_orders,
    sum(amount) as amount
from `sp01-warehouse`.`analytics_marts`.`orders`
group by 1, 2
