

select
    cast(topped_up_at_taipei as date) as top_up_date,
    source_system as channel,
    count(*) as top_ups,
    sum(amount) as amount
from "analytics_staging"."stg_top_ups"

where topped_up_at_taipei >= (select max(top_up_date) from "analytics_marts"."daily_top_ups") + ((interval '1 day') * (-3))

group by 1, 2
