select total_unique_viewers
from `sp01-warehouse`.`marts`.`mart_daily_kpis`
where total_unique_viewers is null
