select
    payment_id,
    order_id,
    lower(payment_method) as payment_method,
    cast(amount as FLOAT) as amount
from "analytics_staging"."stg_payments"
