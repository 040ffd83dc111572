{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail') }}

select
    id as event_id,
    kind,
    occurred_at
    {%- if var('with_channel') %},
    cast('web' as text) as channel
    {%- endif %}
from {{ source('raw', 'events') }}
{% if is_incremental() %}
where occurred_at > (select max(occurred_at) from {{ this }})
{% endif %}
