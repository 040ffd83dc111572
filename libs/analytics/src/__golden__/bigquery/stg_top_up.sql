select
    order_id,
    user_id,
    topup_at,
    topup_date,
    topup_day_segment,
    amount,
    currency,
    points,
    payment_method,
    platform,
    channel_id,
    member_level,
    status,
    promo_code
from `sp01-warehouse`.`raw`.`top_up`
