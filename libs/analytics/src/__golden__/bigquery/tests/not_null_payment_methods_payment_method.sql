select payment_method
from `sp01-warehouse`.`staging`.`payment_methods`
where payment_method is null
