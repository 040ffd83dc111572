select topup_payers
from `sp01-warehouse`.`marts`.`mart_channel_performance`
where topup_payers is null
