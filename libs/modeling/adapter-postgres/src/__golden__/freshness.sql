select cast(max(_loaded_at) as timestamptz) as max_loaded_at,
    now() as snapshotted_at
from "raw"."orders"
where _loaded_at > now() - interval '7 days'
