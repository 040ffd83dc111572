select
    top_up_id,
    member_id,
    safe_cast(amount as numeric) as amount,
    safe_cast(topped_up_at as TIMESTAMP) as topped_up_at,
    date_add(topped_up_at, interval 8 hour) as topped_up_at_taipei,
    to_hex(md5(cast(concat(member_id, '-', top_up_id) as STRING))) as top_up_key,
    cast('backoffice' as STRING) as source_system,
    current_timestamp() as _transformed_at
from `sp01-warehouse`.`raw`.`top_up_records`
