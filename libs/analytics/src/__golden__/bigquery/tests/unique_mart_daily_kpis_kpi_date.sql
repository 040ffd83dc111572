select
    kpi_date as unique_field,
    count(*) as n_records
from `sp01-warehouse`.`marts`.`mart_daily_kpis`
where kpi_date is not null
group by kpi_date
having count(*) > 1
