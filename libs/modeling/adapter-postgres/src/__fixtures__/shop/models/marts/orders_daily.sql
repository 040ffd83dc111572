{{
    config(
        materialized='incremental',
        unique_key=['order_date', 'customer_id'],
        incremental_strategy='delete+insert'
    )
}}

select
    order_date,
    customer_id,
    count(*) as orders,
    sum(amount) as amount
from {{ ref('stg_orders') }}
{% if is_incremental() %}
where order_date >= (select max(order_date) from {{ this }})
{% endif %}
group by 1, 2
