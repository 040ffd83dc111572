with fx_rates as (

    select
        currency,
        rate_to_twd,
        valid_from,
        lead(valid_from) over (partition by currency order by valid_from) as valid_to
    from `sp01-warehouse`.`staging`.`fx_rates`

),

top_ups as (

    select *
    from `sp01-warehouse`.`staging`.`stg_top_up`
    
    where user_id in (
        select user_id
        from `sp01-warehouse`.`staging`.`stg_top_up`
        where topup_date >= (select cast(date_add(max(topup_date), interval -3 day) as date) from `sp01-warehouse`.`core`.`fct_topup`)
    )
    

),

converted as (

    select
        top_ups.*,
        top_ups.status = 'success' as is_success,
        fx_rates.rate_to_twd
    from top_ups
    left join fx_rates
        on fx_rates.currency = top_ups.currency
        and fx_rates.valid_from <= top_ups.topup_date
        and (fx_rates.valid_to is null or top_ups.topup_date < fx_rates.valid_to)

),

sequenced as (

    select
        *,
        coalesce(
            sum(case when is_success then 1 else 0 end) over (
                partition by user_id
                order by topup_at, order_id
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as earlier_successful_topups
    from converted

),

final as (

    select
        order_id,
        user_id,
        topup_at,
        topup_date,
        topup_day_segment,
        status,
        is_success,
        currency,
        amount,
        rate_to_twd as fx_rate_to_twd,
        amount * rate_to_twd as amount_twd,
        points,
        payment_method,
        platform,
        channel_id,
        member_level,
        promo_code,
        earlier_successful_topups > 0 as is_repeat_topup,
        case when is_success then earlier_successful_topups + 1 end as topup_seq
    from sequenced

)

select * from final

except distinct
select * from `sp01-warehouse`.`core`.`fct_topup`
