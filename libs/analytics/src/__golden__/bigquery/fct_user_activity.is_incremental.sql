with top_ups as (

    select
        user_id,
        topup_date as activity_date,
        count(*) as topup_count,
        sum(amount_twd) as topup_amount_twd,
        sum(points) as points_topped_up
    from `sp01-warehouse`.`core`.`fct_topup`
    where is_success
    
        and topup_date >= (select cast(date_add(max(activity_date), interval -3 day) as date) from `sp01-warehouse`.`core`.`fct_user_activity`)
    
    group by user_id, topup_date

),

deductions as (

    select
        user_id,
        deducted_date as activity_date,
        count(*) as deduction_count,
        sum(points) as points_spent,
        count(distinct channel_id) as channels_spent_in
    from `sp01-warehouse`.`core`.`fct_deduction`
    
    where deducted_date >= (select cast(date_add(max(activity_date), interval -3 day) as date) from `sp01-warehouse`.`core`.`fct_user_activity`)
    
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

except distinct
select * from `sp01-warehouse`.`core`.`fct_user_activity`
