select is_success
from `sp01-warehouse`.`core`.`fct_topup`
where is_success is null
