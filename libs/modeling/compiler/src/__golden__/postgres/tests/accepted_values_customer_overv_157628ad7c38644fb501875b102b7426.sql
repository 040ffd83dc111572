with all_values as (
    select
        tier as value_field,
        count(*) as n_records
    from "analytics_marts"."customer_overview_v"
    group by tier
)
select *
from all_values
where value_field not in (
    'gold','silver','bronze'
)
