with raw_days as (

    select
        top_up.topup_date as kpi_date,
        count(*) as topup_count,
        round(sum(top_up.amount * fx.rate_to_twd), 2) as revenue_twd,
        sum(top_up.points) as points_issued
    from `sp01-warehouse`.`raw`.`top_up` as top_up
    inner join `sp01-warehouse`.`staging`.`fx_rates` as fx
        on fx.currency = top_up.currency
        and fx.valid_from = (
            select max(latest.valid_from)
            from `sp01-warehouse`.`staging`.`fx_rates` as latest
            where latest.currency = top_up.currency and latest.valid_from <= top_up.topup_date
        )
    where top_up.status = 'success'
    group by top_up.topup_date

)

select
    coalesce(raw_days.kpi_date, kpis.kpi_date) as kpi_date,
    raw_days.revenue_twd as raw_revenue_twd,
    kpis.revenue_twd as mart_revenue_twd,
    raw_days.topup_count as raw_topup_count,
    kpis.topup_count as mart_topup_count,
    raw_days.points_issued as raw_points_issued,
    kpis.points_issued as mart_points_issued
from raw_days
full outer join `sp01-warehouse`.`marts`.`mart_daily_kpis` as kpis on kpis.kpi_date = raw_days.kpi_date
where coalesce(raw_days.revenue_twd, 0) <> kpis.revenue_twd
    or coalesce(raw_days.topup_count, 0) <> kpis.topup_count
    or coalesce(raw_days.points_issued, 0) <> kpis.points_issued
    or kpis.kpi_date is null
