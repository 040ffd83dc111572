select cohort_users
from `sp01-warehouse`.`marts`.`mart_topup_funnel`
where cohort_users is null
