select name_en
from `sp01-warehouse`.`staging`.`payment_methods`
where name_en is null
