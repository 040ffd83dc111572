select amount
from `sp01-warehouse`.`staging`.`stg_top_up`
where amount is null
