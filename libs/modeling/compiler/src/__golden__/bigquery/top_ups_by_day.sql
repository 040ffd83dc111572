

select
    top_up_date,
    channel,
    sum(amount) as amount
from `sp01-warehouse`.`analytics_marts`.`daily_top_ups`

group by 1, 2
