select
    top_up_id,
    member_id,
    cast(amount as numeric(28,6)) as amount,
    cast(topped_up_at as TIMESTAMP) as topped_up_at,
    topped_up_at + ((interval '1 hour') * (8)) as topped_up_at_taipei,
    md5(cast(concat(member_id, '-', top_up_id) as TEXT)) as top_up_key,
    cast('backoffice' as TEXT) as source_system,
    now() as _transformed_at
from "raw"."top_up_records"
