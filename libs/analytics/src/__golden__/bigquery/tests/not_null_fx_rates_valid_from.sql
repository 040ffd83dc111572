select valid_from
from `sp01-warehouse`.`staging`.`fx_rates`
where valid_from is null
