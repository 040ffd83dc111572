select top_up_id
from "analytics_staging"."stg_top_ups"
where top_up_id is null
