select points_topped_up
from `sp01-warehouse`.`core`.`fct_user_activity`
where points_topped_up is null
