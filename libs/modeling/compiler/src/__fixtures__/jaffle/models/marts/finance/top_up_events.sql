{#- dbt-bigquery has no append: a merge without unique_key only inserts. -#}
{{ config(incremental_strategy='merge' if target.type == 'bigquery' else 'append', on_schema_change='fail') }}

select top_up_id, member_id, amount, topped_up_at
from {{ ref('stg_top_ups') }}
{% if is_incremental() %}
where topped_up_at > (select max(topped_up_at) from {{ this }})
{% endif %}
