

select
    cast(topped_up_at_taipei as date) as top_up_date,
    source_system as channel,
    count(*) as top_ups,
    sum(amount) as amount
from "analytics_staging"."stg_top_ups"

group by 1, 2
