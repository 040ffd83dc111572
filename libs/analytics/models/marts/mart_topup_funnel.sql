{#-
  Cohorts by the (Monday-start, local) week of each user's first successful top-up. The windows
  are measured on timestamps: a second top-up counts within 7 days when it comes at most
  7×24 = 168 hours after the first, within 30 days at most 720 hours after.
-#}

with successful as (

    select user_id, topup_at, topup_date, topup_seq
    from {{ ref('fct_topup') }}
    where is_success and topup_seq <= 3

),

users as (

    select
        firsts.user_id,
        {{ week_start('firsts.topup_date') }} as cohort_week,
        firsts.topup_at as first_topup_at,
        seconds.topup_at as second_topup_at,
        thirds.topup_at as third_topup_at
    from successful as firsts
    left join successful as seconds on seconds.user_id = firsts.user_id and seconds.topup_seq = 2
    left join successful as thirds on thirds.user_id = firsts.user_id and thirds.topup_seq = 3
    where firsts.topup_seq = 1

),

cohorts as (

    select
        cohort_week,
        count(*) as cohort_users,
        sum(case when second_topup_at <= {{ dbt.dateadd('hour', 168, 'first_topup_at') }} then 1 else 0 end) as second_topup_7d,
        sum(case when second_topup_at <= {{ dbt.dateadd('hour', 720, 'first_topup_at') }} then 1 else 0 end) as second_topup_30d,
        sum(case when third_topup_at <= {{ dbt.dateadd('hour', 720, 'first_topup_at') }} then 1 else 0 end) as third_topup_30d
    from users
    group by cohort_week

)

select
    cohort_week,
    cohort_users,
    second_topup_7d,
    second_topup_30d,
    third_topup_30d,
    {{ ratio('second_topup_7d', 'cohort_users') }} as second_topup_7d_rate,
    {{ ratio('second_topup_30d', 'cohort_users') }} as second_topup_30d_rate,
    {{ ratio('third_topup_30d', 'cohort_users') }} as third_topup_30d_rate
from cohorts
