select points_issued
from `sp01-warehouse`.`marts`.`mart_daily_kpis`
where points_issued is null
