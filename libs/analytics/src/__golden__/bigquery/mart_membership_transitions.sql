with stretches as (

    select
        user_id,
        member_level as to_level,
        lag(member_level) over (partition by user_id order by stretch_number) as from_level,
        valid_from
    from `sp01-warehouse`.`core`.`dim_user_membership_history`

)

select
    date(valid_from, 'Asia/Taipei') as transition_date,
    from_level,
    to_level,
    case when to_level > from_level then 'upgrade' else 'downgrade' end as direction,
    count(distinct user_id) as users
from stretches
where from_level is not null
group by 1, 2, 3, 4
