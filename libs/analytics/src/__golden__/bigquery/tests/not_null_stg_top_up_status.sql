select status
from `sp01-warehouse`.`staging`.`stg_top_up`
where status is null
