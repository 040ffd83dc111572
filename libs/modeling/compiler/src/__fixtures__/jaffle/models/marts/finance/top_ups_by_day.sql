{{
    config(
        incremental_strategy='insert_overwrite' if target.type == 'bigquery' else 'delete+insert',
        unique_key=['top_up_date', 'channel'],
        partition_by={'field': 'top_up_date', 'data_type': 'date'},
        cluster_by='channel'
    )
}}

select
    top_up_date,
    channel,
    sum(amount) as amount
from {{ ref('daily_top_ups') }}
{% if is_incremental() %}
where top_up_date >= {{ dbt.date_trunc('day', dbt.dateadd('day', -var('lookback_days'), dbt.current_timestamp())) }}
{% endif %}
group by 1, 2
