

select top_up_id, member_id, amount, topped_up_at
from "analytics_staging"."stg_top_ups"
