select customer_id
from "analytics_marts"."customers"
where customer_id is null
