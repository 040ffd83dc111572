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
from `sp01-warehouse`.`raw`.`pre_deduction`
