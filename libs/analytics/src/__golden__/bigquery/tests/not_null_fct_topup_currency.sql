select currency
from `sp01-warehouse`.`core`.`fct_topup`
where currency is null
