with raw_days as (

    select
        pre.deducted_date as kpi_date,
        sum(pre.points) as points_spent,
        sum(coalesce(post.settled_points, 0)) as points_settled
    from `sp01-warehouse`.`raw`.`pre_deduction` as pre
    left join `sp01-warehouse`.`raw`.`post_deduction` as post on post.deduction_id = pre.deduction_id
    group by pre.deducted_date

),

channel_days as (

    select stat_date as kpi_date, sum(points_received) as points_spent, sum(points_settled) as points_settled
    from `sp01-warehouse`.`marts`.`mart_channel_performance`
    group by stat_date

)

select
    kpis.kpi_date,
    raw_days.points_spent as raw_points_spent,
    kpis.points_spent as mart_points_spent,
    channel_days.points_spent as channel_points_spent,
    raw_days.points_settled as raw_points_settled,
    kpis.points_settled as mart_points_settled,
    channel_days.points_settled as channel_points_settled
from `sp01-warehouse`.`marts`.`mart_daily_kpis` as kpis
left join raw_days on raw_days.kpi_date = kpis.kpi_date
left join channel_days on channel_days.kpi_date = kpis.kpi_date
where kpis.points_spent <> coalesce(raw_days.points_spent, 0)
    or kpis.points_settled <> coalesce(raw_days.points_settled, 0)
    or kpis.points_spent <> coalesce(channel_days.points_spent, 0)
    or kpis.points_settled <> coalesce(channel_days.points_settled, 0)
