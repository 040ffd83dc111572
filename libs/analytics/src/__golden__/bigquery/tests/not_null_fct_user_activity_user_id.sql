select user_id
from `sp01-warehouse`.`core`.`fct_user_activity`
where user_id is null
