select stat_date
from `sp01-warehouse`.`staging`.`stg_op_stats`
where stat_date is null
