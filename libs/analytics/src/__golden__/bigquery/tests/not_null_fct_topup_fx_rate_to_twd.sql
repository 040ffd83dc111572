select fx_rate_to_twd
from `sp01-warehouse`.`core`.`fct_topup`
where fx_rate_to_twd is null
