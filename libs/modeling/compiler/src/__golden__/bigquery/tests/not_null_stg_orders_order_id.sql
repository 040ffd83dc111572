select order_id
from `sp01-warehouse`.`analytics_staging`.`stg_orders`
where order_id is null
