select name_en
from `sp01-warehouse`.`staging`.`member_levels`
where name_en is null
