select topup_count
from `sp01-warehouse`.`marts`.`mart_channel_performance`
where topup_count is null
