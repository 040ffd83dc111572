select week_offset
from `sp01-warehouse`.`marts`.`mart_retention`
where week_offset is null
