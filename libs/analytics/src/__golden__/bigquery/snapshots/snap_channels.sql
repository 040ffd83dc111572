



select channel_id, channel_name, category
from `sp01-warehouse`.`core`.`dim_channels`

