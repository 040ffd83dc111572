select cohort_users
from `sp01-warehouse`.`marts`.`mart_retention`
where cohort_users is null
