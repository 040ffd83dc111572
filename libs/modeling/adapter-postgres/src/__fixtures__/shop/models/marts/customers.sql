-- depends_on: {{ ref('stg_customers') }}, {{ ref('int_order_totals') }}
{% if var('break_customers') %}
select 1 / 0 as customer_id
{% else %}
select
    c.customer_id,
    c.name,
    c.tier,
    coalesce(t.orders, 0) as orders,
    coalesce(t.revenue, 0) as revenue
from {{ ref('stg_customers') }} c
left join {{ ref('int_order_totals') }} t on t.customer_id = c.customer_id
{% endif %}
