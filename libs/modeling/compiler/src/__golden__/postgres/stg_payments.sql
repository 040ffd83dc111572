select
    id as payment_id,
    order_id,
    payment_method,
    round(cast(amount as numeric(28,6)) / 100, 2) as amount
from "analytics_raw_seeds"."raw_payments"
