select is_current
from `sp01-warehouse`.`core`.`dim_user_membership_history`
where is_current is null
