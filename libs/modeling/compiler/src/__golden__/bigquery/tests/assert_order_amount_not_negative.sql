

select order_id, amount
from `sp01-warehouse`.`analytics_marts`.`orders`
where amount < 0
