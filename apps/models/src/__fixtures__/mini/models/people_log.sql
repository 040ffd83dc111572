{{ config(materialized='incremental', incremental_strategy=var('log_strategy', 'append')) }}
select id, name from {{ ref('people') }}
{% if is_incremental() %}where id > (select max(id) from {{ this }}){% endif %}
