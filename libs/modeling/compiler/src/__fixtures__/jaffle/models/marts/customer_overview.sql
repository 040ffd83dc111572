{{ config(materialized='view', alias='customer_overview_v', tags=['overview']) }}

{% set tiers = {'gold': 1000, 'silver': 100} %}
select
    customer_id,
    full_name,
    case
    {%- for tier, threshold in tiers.items() %}
        when lifetime_value >= {{ threshold }} then '{{ tier }}'
    {%- endfor %}
        else 'bronze'
    end as tier
from {{ ref('customers') }}
{% if target.name == 'prod' %}where number_of_orders > 0{% endif %}
