select
    payment_id,
    order_id,
    lower(payment_method) as payment_method,
    {{ dbt.safe_cast('amount', dbt.type_float()) }} as amount
from {{ ref('stg_payments') }}
