
select stat_date, channel_id, count(*) as n_records
from `sp01-warehouse`.`marts`.`mart_channel_performance`
group by stat_date, channel_id
having count(*) > 1
