select points_spent
from `sp01-warehouse`.`core`.`fct_user_activity`
where points_spent is null
