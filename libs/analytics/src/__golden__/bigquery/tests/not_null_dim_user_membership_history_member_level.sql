select member_level
from `sp01-warehouse`.`core`.`dim_user_membership_history`
where member_level is null
