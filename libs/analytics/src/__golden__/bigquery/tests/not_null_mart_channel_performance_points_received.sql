select points_received
from `sp01-warehouse`.`marts`.`mart_channel_performance`
where points_received is null
