select user_id
from `sp01-warehouse`.`core`.`fct_deduction`
where user_id is null
