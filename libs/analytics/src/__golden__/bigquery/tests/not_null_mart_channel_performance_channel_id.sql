select channel_id
from `sp01-warehouse`.`marts`.`mart_channel_performance`
where channel_id is null
