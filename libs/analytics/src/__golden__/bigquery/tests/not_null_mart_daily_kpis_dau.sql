select dau
from `sp01-warehouse`.`marts`.`mart_daily_kpis`
where dau is null
