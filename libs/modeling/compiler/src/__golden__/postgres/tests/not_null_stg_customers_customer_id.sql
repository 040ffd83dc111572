select customer_id
from "analytics_staging"."stg_customers"
where customer_id is null
