select
    cohort_week as unique_field,
    count(*) as n_records
from `sp01-warehouse`.`marts`.`mart_topup_funnel`
where cohort_week is not null
group by cohort_week
having count(*) > 1
