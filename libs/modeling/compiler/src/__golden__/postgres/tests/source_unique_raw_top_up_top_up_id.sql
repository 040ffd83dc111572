select
    top_up_id as unique_field,
    count(*) as n_records
from "raw"."top_up_records"
where top_up_id is not null
group by top_up_id
having count(*) > 1
