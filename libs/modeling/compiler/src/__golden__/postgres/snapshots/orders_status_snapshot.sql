

select order_id, status, customer_id from "analytics_staging"."stg_orders"
