select kpi_date
from `sp01-warehouse`.`marts`.`mart_daily_kpis`
where kpi_date is null
