select customer_id
from `sp01-warehouse`.`analytics_marts`.`customers`
where customer_id is null
