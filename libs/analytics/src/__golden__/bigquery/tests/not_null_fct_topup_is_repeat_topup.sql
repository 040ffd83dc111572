select is_repeat_topup
from `sp01-warehouse`.`core`.`fct_topup`
where is_repeat_topup is null
