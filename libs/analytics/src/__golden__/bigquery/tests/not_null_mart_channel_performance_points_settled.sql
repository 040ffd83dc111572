select points_settled
from `sp01-warehouse`.`marts`.`mart_channel_performance`
where points_settled is null
