with dates as (

    select topup_date as source_date from `sp01-warehouse`.`staging`.`stg_top_up`
    union distinct
    select deducted_date from `sp01-warehouse`.`staging`.`stg_pre_deduction`
    union distinct
    select settled_date from `sp01-warehouse`.`staging`.`stg_post_deduction`
    union distinct
    select stat_date from `sp01-warehouse`.`staging`.`stg_op_stats`

),

top_ups as (

    select
        topup_date as kpi_date,
        count(distinct user_id) as paying_users,
        sum(case when topup_seq = 1 then 1 else 0 end) as new_payers,
        count(*) as topup_count,
        sum(amount_twd) as revenue_twd,
        sum(case when is_repeat_topup then 1 else 0 end) as repeat_topups,
        sum(points) as points_issued
    from `sp01-warehouse`.`core`.`fct_topup`
    where is_success
    group by topup_date

),

active as (

    select activity_date as kpi_date, count(*) as dau
    from `sp01-warehouse`.`core`.`fct_user_activity`
    group by activity_date

),

deductions as (

    select
        deducted_date as kpi_date,
        sum(points) as points_spent,
        sum(case when settlement_status <> 'pending' then points else 0 end) as settled_pre_points,
        sum(case when settlement_status <> 'pending' then settled_points else 0 end) as points_settled,
        sum(case when settlement_status <> 'pending' then 1 else 0 end) as settled_deductions
    from `sp01-warehouse`.`core`.`fct_deduction`
    group by deducted_date

),

channels as (

    select
        stat_date as kpi_date,
        sum(case when live_hours > 0 then 1 else 0 end) as live_channels,
        sum(unique_viewers) as total_unique_viewers
    from `sp01-warehouse`.`staging`.`stg_op_stats`
    group by stat_date

)

select
    dates.source_date as kpi_date,
    coalesce(active.dau, 0) as dau,
    coalesce(top_ups.paying_users, 0) as paying_users,
    coalesce(top_ups.new_payers, 0) as new_payers,
    coalesce(top_ups.topup_count, 0) as topup_count,
    round(coalesce(top_ups.revenue_twd, 0), 2) as revenue_twd,
    round(top_ups.revenue_twd / nullif(top_ups.paying_users, 0), 2) as arppu_twd,
    cast(cast(top_ups.repeat_topups as numeric) / nullif(top_ups.topup_count, 0) as FLOAT64) as repeat_topup_rate,
    coalesce(top_ups.points_issued, 0) as points_issued,
    coalesce(deductions.points_spent, 0) as points_spent,
    coalesce(deductions.points_settled, 0) as points_settled,
    case
        when deductions.settled_deductions > 0
            then cast(
                1 - cast(deductions.points_settled as numeric) / nullif(deductions.settled_pre_points, 0)
                as FLOAT64
            )
    end as settlement_deviation_rate,
    coalesce(channels.live_channels, 0) as live_channels,
    coalesce(channels.total_unique_viewers, 0) as total_unique_viewers
from dates
left join active on active.kpi_date = dates.source_date
left join top_ups on top_ups.kpi_date = dates.source_date
left join deductions on deductions.kpi_date = dates.source_date
left join channels on channels.kpi_date = dates.source_date
