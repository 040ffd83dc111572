

select
    top_up_date,
    channel,
    sum(amount) as amount
from `sp01-warehouse`.`analytics_marts`.`daily_top_ups`

where top_up_date >= timestamp_trunc(cast(date_add(current_timestamp(), interval -3 day) as timestamp), day)

group by 1, 2
