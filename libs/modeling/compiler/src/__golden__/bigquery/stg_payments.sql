select
    id as payment_id,
    order_id,
    payment_method,
    round(cast(amount as numeric) / 100, 2) as amount
from `sp01-warehouse`.`analytics_raw_seeds`.`raw_payments`
