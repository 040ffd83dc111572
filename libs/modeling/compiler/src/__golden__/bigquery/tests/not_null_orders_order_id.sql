select order_id
from `sp01-warehouse`.`analytics_marts`.`orders`
where order_id is null
