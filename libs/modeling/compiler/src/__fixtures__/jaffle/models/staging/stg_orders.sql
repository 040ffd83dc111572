{{ config(tags=['orders_in_file']) }}

select
    id as order_id,
    user_id as customer_id,
    order_date,
    {{ dbt.date_trunc('month', 'order_date') }} as order_month,
    {{ dbt.safe_cast('status', dbt.type_string()) }} as status
from {{ source('raw', 'orders') }}
where order_date >= '{{ var("start_date") }}'
