

select
    top_up_date,
    channel,
    sum(amount) as amount
from "analytics_marts"."daily_top_ups"

where top_up_date >= date_trunc('day', now() + ((interval '1 day') * (-3)))

group by 1, 2
