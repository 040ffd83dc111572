with __dbt__cte__int_payments_typed as (
select
    payment_id,
    order_id,
    lower(payment_method) as payment_method,
    safe_cast(amount as FLOAT64) as amount
from `sp01-warehouse`.`analytics_staging`.`stg_payments`
),
payments as (
    select * from __dbt__cte__int_payments_typed
)

select
    order_id,
    sum(case when payment_method = 'credit_card' then amount else 0 end) as credit_card_amount,
    sum(case when payment_method = 'coupon' then amount else 0 end) as coupon_amount,
    sum(case when payment_method = 'bank_transfer' then amount else 0 end) as bank_transfer_amount,
    sum(case when payment_method = 'gift_card' then amount else 0 end) as gift_card_amount,
    sum(amount) as total_amount
from payments
group by order_id
