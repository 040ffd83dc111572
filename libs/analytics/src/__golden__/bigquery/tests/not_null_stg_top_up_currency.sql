select currency
from `sp01-warehouse`.`staging`.`stg_top_up`
where currency is null
