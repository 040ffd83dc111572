select
    deduction_id,
    user_id,
    channel_id,
    deducted_at,
    deducted_date,
    item_type,
    item_name,
    quantity,
    points
from {{ source('raw', 'pre_deduction') }}
