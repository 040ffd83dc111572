select rate_to_twd
from `sp01-warehouse`.`staging`.`fx_rates`
where rate_to_twd is null
