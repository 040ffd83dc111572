select order_id
from `sp01-warehouse`.`core`.`fct_topup`
where order_id is null
