select revenue_twd
from `sp01-warehouse`.`marts`.`mart_daily_kpis`
where revenue_twd is null
