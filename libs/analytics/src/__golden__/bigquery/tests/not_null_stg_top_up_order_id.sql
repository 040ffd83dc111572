select order_id
from `sp01-warehouse`.`staging`.`stg_top_up`
where order_id is null
