with pre_deductions as (

    select *
    from `sp01-warehouse`.`staging`.`stg_pre_deduction`
    
    where deducted_date >= (select cast(date_add(max(deducted_date), interval -3 day) as date) from `sp01-warehouse`.`core`.`fct_deduction`)
        or deduction_id in (select deduction_id from `sp01-warehouse`.`core`.`fct_deduction` where settlement_status = 'pending')
    

),

settlements as (

    select * from `sp01-warehouse`.`staging`.`stg_post_deduction`

),

final as (

    select
        pre_deductions.deduction_id,
        pre_deductions.user_id,
        pre_deductions.channel_id,
        pre_deductions.deducted_at,
        pre_deductions.deducted_date,
        pre_deductions.item_type,
        pre_deductions.item_name,
        pre_deductions.quantity,
        pre_deductions.points,
        coalesce(settlements.settlement_status, 'pending') as settlement_status,
        settlements.settled_at,
        settlements.settled_date,
        settlements.settled_points,
        pre_deductions.points - settlements.settled_points as reversed_points,
        settlements.settlement_reason
    from pre_deductions
    left join settlements
        on settlements.deduction_id = pre_deductions.deduction_id

)

select * from final

except distinct
select * from `sp01-warehouse`.`core`.`fct_deduction`
