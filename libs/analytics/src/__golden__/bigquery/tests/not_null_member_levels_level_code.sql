select level_code
from `sp01-warehouse`.`staging`.`member_levels`
where level_code is null
