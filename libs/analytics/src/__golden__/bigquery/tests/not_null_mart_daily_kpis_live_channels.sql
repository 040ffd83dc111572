select live_channels
from `sp01-warehouse`.`marts`.`mart_daily_kpis`
where live_channels is null
