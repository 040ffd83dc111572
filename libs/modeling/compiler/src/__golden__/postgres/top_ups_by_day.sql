

select
    top_up_date,
    channel,
    sum(amount) as amount
from "analytics_marts"."daily_top_ups"

group by 1, 2
