with daily as (

    select
        deducted_date as deduction_date,
        channel_id,
        sum(points) as pre_points,
        sum(case when settlement_status <> 'pending' then points else 0 end) as settled_pre_points,
        sum(case when settlement_status <> 'pending' then settled_points else 0 end) as settled_points,
        sum(case when settlement_status <> 'pending' then reversed_points else 0 end) as reversed_points,
        sum(case when settlement_status = 'pending' then points else 0 end) as pending_points
    from `sp01-warehouse`.`core`.`fct_deduction`
    group by deducted_date, channel_id

),

rated as (

    select
        *,
        -- Exact (numeric) here: the anomaly rule compares it with a mean and a deviation.
        cast(reversed_points as numeric) / nullif(settled_pre_points, 0) as deviation_rate
    from daily

),

history as (

    select
        current_day.deduction_date,
        current_day.channel_id,
        count(previous_day.deviation_rate) as history_days,
        avg(previous_day.deviation_rate) as history_mean,
        stddev_samp(previous_day.deviation_rate) as history_stddev
    from rated as current_day
    left join rated as previous_day
        on previous_day.channel_id = current_day.channel_id
        and previous_day.deduction_date >= cast(date_add(current_day.deduction_date, interval -28 day) as date)
        and previous_day.deduction_date < current_day.deduction_date
        and previous_day.deviation_rate is not null
    group by current_day.deduction_date, current_day.channel_id

)

select
    rated.deduction_date,
    rated.channel_id,
    rated.pre_points,
    rated.settled_pre_points,
    rated.settled_points,
    rated.reversed_points,
    rated.pending_points,
    cast(rated.deviation_rate as FLOAT64) as deviation_rate,
    coalesce(
        history.history_days >= 7
        and rated.deviation_rate > history.history_mean + 3 * history.history_stddev,
        false
    ) as is_anomaly
from rated
inner join history
    on history.deduction_date = rated.deduction_date
    and history.channel_id = rated.channel_id
