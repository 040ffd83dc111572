select order_id
from `sp01-warehouse`.`raw`.`top_up`
where order_id is null
