select membership_id
from `sp01-warehouse`.`core`.`dim_user_membership_history`
where membership_id is null
