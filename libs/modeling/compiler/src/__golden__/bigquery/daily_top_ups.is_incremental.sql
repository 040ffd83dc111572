

select
    cast(topped_up_at_taipei as date) as top_up_date,
    source_system as channel,
    count(*) as top_ups,
    sum(amount) as amount
from `sp01-warehouse`.`analytics_staging`.`stg_top_ups`

where topped_up_at_taipei >= date_add((select max(top_up_date) from `sp01-warehouse`.`analytics_marts`.`daily_top_ups`), interval -3 day)

group by 1, 2
