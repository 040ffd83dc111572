select status
from `sp01-warehouse`.`core`.`fct_topup`
where status is null
