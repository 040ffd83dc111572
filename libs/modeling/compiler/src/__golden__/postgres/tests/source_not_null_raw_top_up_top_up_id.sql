select top_up_id
from "raw"."top_up_records"
where top_up_id is null
