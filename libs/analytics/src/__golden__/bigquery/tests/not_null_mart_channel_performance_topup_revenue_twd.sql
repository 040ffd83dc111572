select topup_revenue_twd
from `sp01-warehouse`.`marts`.`mart_channel_performance`
where topup_revenue_twd is null
