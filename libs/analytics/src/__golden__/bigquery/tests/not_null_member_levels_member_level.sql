select member_level
from `sp01-warehouse`.`staging`.`member_levels`
where member_level is null
