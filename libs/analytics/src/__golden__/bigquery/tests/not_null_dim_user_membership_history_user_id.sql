select user_id
from `sp01-warehouse`.`core`.`dim_user_membership_history`
where user_id is null
