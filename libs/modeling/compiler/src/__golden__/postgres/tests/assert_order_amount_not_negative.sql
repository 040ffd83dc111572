

select order_id, amount
from "analytics_marts"."orders"
where amount < 0
