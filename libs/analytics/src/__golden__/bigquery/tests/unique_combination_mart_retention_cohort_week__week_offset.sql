
select cohort_week, week_offset, count(*) as n_records
from `sp01-warehouse`.`marts`.`mart_retention`
group by cohort_week, week_offset
having count(*) > 1
