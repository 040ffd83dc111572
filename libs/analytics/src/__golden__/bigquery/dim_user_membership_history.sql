with reported as (

    select
        user_id,
        order_id,
        topup_at,
        member_level,
        lag(member_level) over (partition by user_id order by topup_at, order_id) as previous_level
    from `sp01-warehouse`.`staging`.`stg_top_up`
    where member_level is not null

),

stretch_starts as (

    select
        user_id,
        order_id,
        topup_at,
        member_level,
        row_number() over (partition by user_id order by topup_at, order_id) as stretch_number
    from reported
    where previous_level is null or previous_level <> member_level

),

stretches as (

    select
        user_id,
        stretch_number,
        member_level,
        order_id as started_by_order_id,
        topup_at as valid_from,
        lead(topup_at) over (partition by user_id order by stretch_number) as valid_to
    from stretch_starts

)

select
    user_id || ':' || cast(stretch_number as STRING) as membership_id,
    user_id,
    stretch_number,
    member_level,
    started_by_order_id,
    valid_from,
    valid_to,
    valid_to is null as is_current
from stretches
