select id
from `sp01-warehouse`.`raw`.`customers`
where id is null
