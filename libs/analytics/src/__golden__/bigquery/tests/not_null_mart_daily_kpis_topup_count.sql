select topup_count
from `sp01-warehouse`.`marts`.`mart_daily_kpis`
where topup_count is null
