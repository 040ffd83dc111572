{#-
  Revenue from top-ups made in a channel, summed over channels, never exceeds the day's
  revenue, and the deviation mart's points add up to the daily KPIs. Returns the days that
  disagree.
-#}
with channel_days as (

    select stat_date as kpi_date, sum(topup_revenue_twd) as revenue_twd
    from {{ ref('mart_channel_performance') }}
    group by stat_date

),

deviation_days as (

    select deduction_date as kpi_date, sum(pre_points) as pre_points, sum(settled_points) as settled_points
    from {{ ref('mart_deduction_deviation') }}
    group by deduction_date

)

select kpis.kpi_date
from {{ ref('mart_daily_kpis') }} as kpis
left join channel_days on channel_days.kpi_date = kpis.kpi_date
left join deviation_days on deviation_days.kpi_date = kpis.kpi_date
where coalesce(channel_days.revenue_twd, 0) > kpis.revenue_twd + 0.01 * (select count(*) from {{ ref('dim_channels') }})
    or coalesce(deviation_days.pre_points, 0) <> kpis.points_spent
    or coalesce(deviation_days.settled_points, 0) <> kpis.points_settled
