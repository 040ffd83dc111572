select top_up_id
from `sp01-warehouse`.`analytics_staging`.`stg_top_ups`
where top_up_id is null
