with top_ups as (

    select * from `sp01-warehouse`.`core`.`fct_topup`

),

deductions as (

    select * from `sp01-warehouse`.`core`.`fct_deduction`

),

users as (

    select user_id, topup_date as seen_date from top_ups
    union all
    select user_id, deducted_date from deductions

),

first_seen as (

    select user_id, min(seen_date) as first_seen_date
    from users
    group by user_id

),

successful as (

    select
        user_id,
        min(topup_at) as first_topup_at,
        count(*) as topup_count,
        sum(amount_twd) as lifetime_topup_twd
    from top_ups
    where is_success
    group by user_id

),

-- The level reported on the user's latest top-up (any status) that reports one: the
-- current stretch of dim_user_membership_history.
current_level as (

    select user_id, member_level
    from `sp01-warehouse`.`core`.`dim_user_membership_history`
    where is_current

),

activity as (

    select user_id, max(activity_date) as last_active_date
    from `sp01-warehouse`.`core`.`fct_user_activity`
    group by user_id

)

select
    first_seen.user_id,
    first_seen.first_seen_date,
    successful.first_topup_at,
    coalesce(successful.topup_count, 0) as topup_count,
    round(coalesce(successful.lifetime_topup_twd, 0), 2) as lifetime_topup_twd,
    current_level.member_level as current_member_level,
    activity.last_active_date
from first_seen
left join successful on successful.user_id = first_seen.user_id
left join current_level on current_level.user_id = first_seen.user_id
left join activity on activity.user_id = first_seen.user_id
