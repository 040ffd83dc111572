select points_spent
from `sp01-warehouse`.`marts`.`mart_daily_kpis`
where points_spent is null
