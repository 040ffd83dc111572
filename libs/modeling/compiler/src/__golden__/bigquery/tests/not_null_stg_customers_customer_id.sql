select customer_id
from `sp01-warehouse`.`analytics_staging`.`stg_customers`
where customer_id is null
