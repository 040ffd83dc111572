

select order_id, status, customer_id from `sp01-warehouse`.`analytics_staging`.`stg_orders`
