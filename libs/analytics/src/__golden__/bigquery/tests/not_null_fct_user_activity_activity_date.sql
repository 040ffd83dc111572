select activity_date
from `sp01-warehouse`.`core`.`fct_user_activity`
where activity_date is null
