

select top_up_id, member_id, amount, topped_up_at
from `sp01-warehouse`.`analytics_staging`.`stg_top_ups`
