select user_id
from `sp01-warehouse`.`core`.`dim_users`
where user_id is null
