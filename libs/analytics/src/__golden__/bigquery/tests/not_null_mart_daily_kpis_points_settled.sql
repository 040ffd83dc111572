select points_settled
from `sp01-warehouse`.`marts`.`mart_daily_kpis`
where points_settled is null
