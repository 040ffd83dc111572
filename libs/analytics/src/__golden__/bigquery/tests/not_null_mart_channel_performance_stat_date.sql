select stat_date
from `sp01-warehouse`.`marts`.`mart_channel_performance`
where stat_date is null
