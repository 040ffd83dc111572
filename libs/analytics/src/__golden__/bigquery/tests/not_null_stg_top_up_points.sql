select points
from `sp01-warehouse`.`staging`.`stg_top_up`
where points is null
