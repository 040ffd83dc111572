{#-
  Every channel seen in operational stats, top-ups or pre-deductions, with its latest name and
  category from operational stats (by stat_date). A channel never seen in operational stats
  has null name, category and stat dates.
-#}

with stats as (

    select * from {{ ref('stg_op_stats') }}

),

latest as (

    select
        channel_id,
        channel_name,
        category,
        row_number() over (partition by channel_id order by stat_date desc) as recency
    from stats

),

stat_dates as (

    select channel_id, min(stat_date) as first_stat_date, max(stat_date) as last_stat_date
    from stats
    group by channel_id

),

channels as (

    select channel_id from stats
    union distinct
    select channel_id from {{ ref('stg_top_up') }} where channel_id is not null
    union distinct
    select channel_id from {{ ref('stg_pre_deduction') }}

)

select
    channels.channel_id,
    latest.channel_name,
    latest.category,
    stat_dates.first_stat_date,
    stat_dates.last_stat_date
from channels
left join latest on latest.channel_id = channels.channel_id and latest.recency = 1
left join stat_dates on stat_dates.channel_id = channels.channel_id
