with cohort_users as (

    select user_id, date_trunc(topup_date, isoweek) as cohort_week
    from `sp01-warehouse`.`core`.`fct_topup`
    where topup_seq = 1

),

cohorts as (

    select cohort_week, count(*) as cohort_users
    from cohort_users
    group by cohort_week

),

latest as (

    select max(date_trunc(source_date, isoweek)) as latest_week
    from (select topup_date as source_date from `sp01-warehouse`.`staging`.`stg_top_up`
    union distinct
    select deducted_date from `sp01-warehouse`.`staging`.`stg_pre_deduction`
    union distinct
    select settled_date from `sp01-warehouse`.`staging`.`stg_post_deduction`
    union distinct
    select stat_date from `sp01-warehouse`.`staging`.`stg_op_stats`) as dates

),

offsets as (

    select
        cohorts.cohort_week,
        cohorts.cohort_users,
        week_offset
    from cohorts
    cross join latest
    cross join unnest(generate_array(0, cast(datetime_diff(cast(latest.latest_week as datetime), cast(cohorts.cohort_week as datetime), day) / 7 as INT64))) as week_offset

),

active as (

    select
        cohort_users.cohort_week,
        cast(datetime_diff(cast(date_trunc(activity.activity_date, isoweek) as datetime), cast(cohort_users.cohort_week as datetime), day) / 7 as INT64) as week_offset,
        count(distinct activity.user_id) as active_users
    from `sp01-warehouse`.`core`.`fct_user_activity` as activity
    inner join cohort_users on cohort_users.user_id = activity.user_id
    group by 1, 2

)

select
    offsets.cohort_week,
    offsets.week_offset,
    offsets.cohort_users,
    coalesce(active.active_users, 0) as active_users,
    cast(cast(coalesce(active.active_users, 0) as numeric) / nullif(offsets.cohort_users, 0) as FLOAT64) as retention_rate
from offsets
left join active
    on active.cohort_week = offsets.cohort_week
    and active.week_offset = offsets.week_offset
