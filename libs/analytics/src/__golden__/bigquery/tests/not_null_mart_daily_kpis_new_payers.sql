select new_payers
from `sp01-warehouse`.`marts`.`mart_daily_kpis`
where new_payers is null
