select user_id
from `sp01-warehouse`.`staging`.`stg_pre_deduction`
where user_id is null
