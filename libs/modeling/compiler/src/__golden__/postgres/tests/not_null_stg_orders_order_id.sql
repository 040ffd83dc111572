select order_id
from "analytics_staging"."stg_orders"
where order_id is null
