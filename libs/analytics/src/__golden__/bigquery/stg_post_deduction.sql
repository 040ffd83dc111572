select
    deduction_id,
    settled_at,
    settled_date,
    settled_points,
    status as settlement_status,
    reason as settlement_reason
from `sp01-warehouse`.`raw`.`post_deduction`
