select valid_from
from `sp01-warehouse`.`core`.`dim_user_membership_history`
where valid_from is null
