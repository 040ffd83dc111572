select channels_spent_in
from `sp01-warehouse`.`core`.`fct_user_activity`
where channels_spent_in is null
