{{
    config(
        materialized='incremental',
        unique_key='deduction_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}

{#-
  Settlements arrive days after their pre-deduction. An incremental run rebuilds the
  deductions of the lookback days and every deduction still pending, and writes only the rows
  that are new or changed (a late settlement turns a pending row into a settled one).
-#}

with pre_deductions as (

    select *
    from {{ ref('stg_pre_deduction') }}
    {% if is_incremental() %}
    where deducted_date >= {{ lookback_start('deducted_date') }}
        or deduction_id in (select deduction_id from {{ this }} where settlement_status = 'pending')
    {% endif %}

),

settlements as (

    select * from {{ ref('stg_post_deduction') }}

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
{% if is_incremental() %}
except distinct
select * from {{ this }}
{% endif %}
