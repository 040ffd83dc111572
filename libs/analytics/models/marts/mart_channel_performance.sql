{#- One row per date and channel seen in operational stats, top-ups with a channel, or pre-deductions. -#}

with stats as (

    select * from {{ ref('stg_op_stats') }}

),

top_ups as (

    select
        topup_date as stat_date,
        channel_id,
        sum(case when is_success then 1 else 0 end) as topup_count,
        count(distinct case when is_success then user_id end) as topup_payers,
        sum(case when is_success then amount_twd else 0 end) as topup_revenue_twd
    from {{ ref('fct_topup') }}
    where channel_id is not null
    group by topup_date, channel_id

),

deductions as (

    select
        deducted_date as stat_date,
        channel_id,
        sum(points) as points_received,
        sum(case when settlement_status <> 'pending' then settled_points else 0 end) as points_settled
    from {{ ref('fct_deduction') }}
    group by deducted_date, channel_id

),

keys as (

    select stat_date, channel_id from stats
    union distinct
    select stat_date, channel_id from top_ups
    union distinct
    select stat_date, channel_id from deductions

)

select
    keys.stat_date,
    keys.channel_id,
    channels.channel_name,
    channels.category,
    stats.live_hours,
    stats.unique_viewers,
    stats.new_viewers,
    stats.new_followers,
    stats.peak_concurrent,
    stats.comments,
    coalesce(top_ups.topup_count, 0) as topup_count,
    coalesce(top_ups.topup_payers, 0) as topup_payers,
    round(coalesce(top_ups.topup_revenue_twd, 0), 2) as topup_revenue_twd,
    coalesce(deductions.points_received, 0) as points_received,
    coalesce(deductions.points_settled, 0) as points_settled,
    {{ ratio('coalesce(top_ups.topup_payers, 0)', 'stats.unique_viewers') }} as payer_conversion_rate
from keys
left join {{ ref('dim_channels') }} as channels on channels.channel_id = keys.channel_id
left join stats on stats.stat_date = keys.stat_date and stats.channel_id = keys.channel_id
left join top_ups on top_ups.stat_date = keys.stat_date and top_ups.channel_id = keys.channel_id
left join deductions on deductions.stat_date = keys.stat_date and deductions.channel_id = keys.channel_id
