{{ config(materialized='view') }}
select cast(occurred_at as date) as day, count(*) as events
from {{ source('raw', 'events') }}
group by 1
