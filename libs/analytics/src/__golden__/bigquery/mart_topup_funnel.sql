with successful as (

    select user_id, topup_at, topup_date, topup_seq
    from `sp01-warehouse`.`core`.`fct_topup`
    where is_success and topup_seq <= 3

),

users as (

    select
        firsts.user_id,
        date_trunc(firsts.topup_date, isoweek) as cohort_week,
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
        sum(case when second_topup_at <= date_add(first_topup_at, interval 168 hour) then 1 else 0 end) as second_topup_7d,
        sum(case when second_topup_at <= date_add(first_topup_at, interval 720 hour) then 1 else 0 end) as second_topup_30d,
        sum(case when third_topup_at <= date_add(first_topup_at, interval 720 hour) then 1 else 0 end) as third_topup_30d
    from users
    group by cohort_week

)

select
    cohort_week,
    cohort_users,
    second_topup_7d,
    second_topup_30d,
    third_topup_30d,
    cast(cast(second_topup_7d as numeric) / nullif(cohort_users, 0) as FLOAT64) as second_topup_7d_rate,
    cast(cast(second_topup_30d as numeric) / nullif(cohort_users, 0) as FLOAT64) as second_topup_30d_rate,
    cast(cast(third_topup_30d as numeric) / nullif(cohort_users, 0) as FLOAT64) as third_topup_30d_rate
from cohorts
