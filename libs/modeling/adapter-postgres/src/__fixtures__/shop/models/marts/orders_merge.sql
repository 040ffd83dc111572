{{
    config(
        materialized='incremental',
        unique_key='order_id',
        incremental_strategy='merge',
        on_schema_change='append_new_columns',
        incremental_predicates=["DBT_INTERNAL_DEST.order_date >= date '2000-01-01'"]
    )
}}

select
    order_id,
    customer_id,
    order_date,
    status,
    amount
    {%- if var('with_channel') %},
    cast('web' as text) as channel
    {%- endif %}
from {{ ref('stg_orders') }}
{% if is_incremental() %}
where order_date >= (select max(order_date) from {{ this }}) - 1
{% endif %}
