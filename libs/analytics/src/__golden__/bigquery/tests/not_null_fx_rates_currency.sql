select currency
from `sp01-warehouse`.`staging`.`fx_rates`
where currency is null
