{{
    config(
        materialized='incremental',
        unique_key=['user_id', 'activity_date'],
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}

{#- Active = a successful top-up or a pre-deduction that day (the DAU definition). -#}

with top_ups as (

    select
        user_id,
        topup_date as activity_date,
        count(*) as topup_count,
        sum(amount_twd) as topup_amount_twd,
        sum(points) as points_topped_up
    from {{ ref('fct_topup') }}
    where is_success
    {% if is_incremental() %}
        and topup_date >= {{ lookback_start('activity_date') }}
    {% endif %}
    group by user_id, topup_date

),

deductions as (

    select
        user_id,
        deducted_date as activity_date,
        count(*) as deduction_count,
        sum(points) as points_spent,
        count(distinct channel_id) as channels_spent_in
    from {{ ref('fct_deduction') }}
    {% if is_incremental() %}
    where deducted_date >= {{ lookback_start('activity_date') }}
    {% endif %}
    group by user_id, deducted_date

),

final as (

    select
        coalesce(top_ups.user_id, deductions.user_id) as user_id,
        coalesce(top_ups.activity_date, deductions.activity_date) as activity_date,
        coalesce(top_ups.topup_count, 0) as topup_count,
        round(coalesce(top_ups.topup_amount_twd, 0), 2) as topup_amount_twd,
        coalesce(top_ups.points_topped_up, 0) as points_topped_up,
        coalesce(deductions.deduction_count, 0) as deduction_count,
        coalesce(deductions.points_spent, 0) as points_spent,
        coalesce(deductions.channels_spent_in, 0) as channels_spent_in
    from top_ups
    full outer join deductions
        on deductions.user_id = top_ups.user_id
        and deductions.activity_date = top_ups.activity_date

)

select * from final
{% if is_incremental() %}
except distinct
select * from {{ this }}
{% endif %}
