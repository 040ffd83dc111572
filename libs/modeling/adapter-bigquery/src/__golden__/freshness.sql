select
    max(loaded_at) as max_loaded_at,
    current_timestamp() as snapshotted_at
from `sp01-test`.`dev_raw`.`top_up_records`
where loaded_at >= timestamp_sub(current_timestamp(), interval 3 day)
