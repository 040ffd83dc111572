select name_zh
from `sp01-warehouse`.`staging`.`payment_methods`
where name_zh is null
