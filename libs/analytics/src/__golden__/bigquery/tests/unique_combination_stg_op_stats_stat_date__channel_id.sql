
select stat_date, channel_id, count(*) as n_records
from `sp01-warehouse`.`staging`.`stg_op_stats`
group by stat_date, channel_id
having count(*) > 1
