select
    payment_id,
    order_id,
    lower(payment_method) as payment_method,
    safe_cast(amount as FLOAT64) as amount
from `sp01-warehouse`.`analytics_staging`.`stg_payments`
