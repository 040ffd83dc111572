select
    deduction_id,
    settled_at,
    settled_date,
    settled_points,
    status as settlement_status,
    reason as settlement_reason
from {{ source('raw', 'post_deduction') }}
