-- job 1 of 1 (atomic)
merge into `sp01-test`.`dev_analytics_marts`.`top_ups_by_day` as DBT_INTERNAL_DEST
    using (
select top_up_date, channel, sum(amount) as amount
from `sp01-test`.`dev_analytics_marts`.`daily_top_ups`
where top_up_date >= date_sub(current_date(), interval 3 day)
group by 1, 2
) as DBT_INTERNAL_SOURCE
    on FALSE

when not matched by source
    and date(DBT_INTERNAL_DEST.top_up_date) in (date(current_date()), date_sub(current_date(), interval 1 day))
    then delete

when not matched then insert
    (`top_up_date`, `channel`, `amount`)
values
    (`top_up_date`, `channel`, `amount`)
