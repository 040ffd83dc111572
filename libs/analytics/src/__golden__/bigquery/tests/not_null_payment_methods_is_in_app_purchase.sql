select is_in_app_purchase
from `sp01-warehouse`.`staging`.`payment_methods`
where is_in_app_purchase is null
