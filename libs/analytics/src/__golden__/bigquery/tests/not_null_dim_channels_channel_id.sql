select channel_id
from `sp01-warehouse`.`core`.`dim_channels`
where channel_id is null
