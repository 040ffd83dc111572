select
    stat_date,
    channel_id,
    channel_name,
    category,
    live_hours,
    unique_viewers,
    new_viewers,
    peak_concurrent,
    new_followers,
    comments
from `sp01-warehouse`.`raw`.`op_stats`
