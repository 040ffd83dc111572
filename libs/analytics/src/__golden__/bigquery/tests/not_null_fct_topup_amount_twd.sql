select amount_twd
from `sp01-warehouse`.`core`.`fct_topup`
where amount_twd is null
