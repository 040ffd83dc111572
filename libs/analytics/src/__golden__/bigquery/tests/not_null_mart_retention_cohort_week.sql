select cohort_week
from `sp01-warehouse`.`marts`.`mart_retention`
where cohort_week is null
