{{
    config(
        incremental_strategy='merge' if target.type == 'bigquery' else 'delete+insert',
        unique_key=['top_up_date', 'channel']
    )
}}

select
    cast(topped_up_at_taipei as date) as top_up_date,
    source_system as channel,
    count(*) as top_ups,
    sum(amount) as amount
from {{ ref('stg_top_ups') }}
{% if is_incremental() %}
where topped_up_at_taipei >= {{ dbt.dateadd('day', -var('lookback_days'), '(select max(top_up_date) from ' ~ this ~ ')') }}
{% endif %}
group by 1, 2
