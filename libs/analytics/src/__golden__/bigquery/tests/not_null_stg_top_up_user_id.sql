select user_id
from `sp01-warehouse`.`staging`.`stg_top_up`
where user_id is null
