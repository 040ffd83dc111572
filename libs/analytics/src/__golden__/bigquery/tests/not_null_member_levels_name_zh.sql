select name_zh
from `sp01-warehouse`.`staging`.`member_levels`
where name_zh is null
