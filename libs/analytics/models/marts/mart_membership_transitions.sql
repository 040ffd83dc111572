{#-
  One row per (local) date and level change: a stretch of dim_user_membership_history that
  follows another is a transition from the earlier stretch's level. A first level is not one.
-#}

with stretches as (

    select
        user_id,
        member_level as to_level,
        lag(member_level) over (partition by user_id order by stretch_number) as from_level,
        valid_from
    from {{ ref('dim_user_membership_history') }}

)

select
    {{ business_date('valid_from') }} as transition_date,
    from_level,
    to_level,
    case when to_level > from_level then 'upgrade' else 'downgrade' end as direction,
    count(distinct user_id) as users
from stretches
where from_level is not null
group by 1, 2, 3, 4
