{%- set payment_methods = var('payment_methods') -%}

with payments as (
    select * from {{ ref('int_payments_typed') }}
)

select
    order_id,
    {% for payment_method in payment_methods -%}
    sum(case when payment_method = '{{ payment_method }}' then amount else 0 end) as {{ payment_method }}_amount,
    {% endfor -%}
    sum(amount) as total_amount
from payments
group by order_id
