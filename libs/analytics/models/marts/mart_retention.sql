{#-
  Dense: every cohort has a row for each week offset from 0 (its own week) up to the latest
  week with data in any report, also where no cohort user was active.
-#}

with cohort_users as (

    select user_id, {{ week_start('topup_date') }} as cohort_week
    from {{ ref('fct_topup') }}
    where topup_seq = 1

),

cohorts as (

    select cohort_week, count(*) as cohort_users
    from cohort_users
    group by cohort_week

),

latest as (

    select max({{ week_start('source_date') }}) as latest_week
    from ({{ source_dates() }}) as dates

),

offsets as (

    select
        cohorts.cohort_week,
        cohorts.cohort_users,
        week_offset
    from cohorts
    cross join latest
    cross join {{ week_offsets('cohorts.cohort_week', 'latest.latest_week') }} as week_offset

),

active as (

    select
        cohort_users.cohort_week,
        {{ weeks_between('cohort_users.cohort_week', week_start('activity.activity_date')) }} as week_offset,
        count(distinct activity.user_id) as active_users
    from {{ ref('fct_user_activity') }} as activity
    inner join cohort_users on cohort_users.user_id = activity.user_id
    group by 1, 2

)

select
    offsets.cohort_week,
    offsets.week_offset,
    offsets.cohort_users,
    coalesce(active.active_users, 0) as active_users,
    {{ ratio('coalesce(active.active_users, 0)', 'offsets.cohort_users') }} as retention_rate
from offsets
left join active
    on active.cohort_week = offsets.cohort_week
    and active.week_offset = offsets.week_offset
