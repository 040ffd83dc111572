select stretch_number
from `sp01-warehouse`.`core`.`dim_user_membership_history`
where stretch_number is null
