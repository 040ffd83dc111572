select cohort_week
from `sp01-warehouse`.`marts`.`mart_topup_funnel`
where cohort_week is null
