select user_id
from `sp01-warehouse`.`core`.`fct_topup`
where user_id is null
