with channel_days as (

    select stat_date as kpi_date, sum(topup_revenue_twd) as revenue_twd
    from `sp01-warehouse`.`marts`.`mart_channel_performance`
    group by stat_date

),

deviation_days as (

    select deduction_date as kpi_date, sum(pre_points) as pre_points, sum(settled_points) as settled_points
    from `sp01-warehouse`.`marts`.`mart_deduction_deviation`
    group by deduction_date

)

select kpis.kpi_date
from `sp01-warehouse`.`marts`.`mart_daily_kpis` as kpis
left join channel_days on channel_days.kpi_date = kpis.kpi_date
left join deviation_days on deviation_days.kpi_date = kpis.kpi_date
where coalesce(channel_days.revenue_twd, 0) > kpis.revenue_twd + 0.01 * (select count(*) from `sp01-warehouse`.`core`.`dim_channels`)
    or coalesce(deviation_days.pre_points, 0) <> kpis.points_spent
    or coalesce(deviation_days.settled_points, 0) <> kpis.points_settled
