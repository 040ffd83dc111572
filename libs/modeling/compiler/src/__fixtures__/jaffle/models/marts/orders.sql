{{
    config(
        materialized='incremental',
        unique_key='order_id',
        incremental_strategy='merge',
        on_schema_change='append_new_columns',
        incremental_predicates=["DBT_INTERNAL_DEST.order_date >= " ~ dbt.dateadd('day', -7, dbt.current_timestamp())]
    )
}}

with orders as (
    select * from {{ ref('stg_orders') }}
),

order_payments as (
    select * from {{ ref('int_order_payments') }}
)

select
    orders.order_id,
    orders.customer_id,
    orders.order_date,
    orders.status,
    order_payments.total_amount as amount
from orders
left join order_payments on orders.order_id = order_payments.order_id
{% if is_incremental() %}
where orders.order_date >= (select max(order_date) from {{ this }})
{% endif %}
