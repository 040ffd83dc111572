{{ config(materialized='view', tags=['tiers']) }}
select tier, count(*) as customers, sum(revenue) as revenue
from {{ ref('customers') }}
group by tier
