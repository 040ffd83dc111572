with __dbt_tested_model as (
    select * from `sp01-test`.`dev_analytics_marts`.`orders`
)
select 'test.jaffle.unique_orders_order_id.fed5e0f0b2' as unique_id, count(*) as failures
from (
select order_id as unique_field, count(*) as n_records
from __dbt_tested_model
where order_id is not null
group by order_id
having count(*) > 1
) dbt_internal_test
union all
select 'test.jaffle.not_null_orders_order_id.cf6c17daed' as unique_id, count(*) as failures
from (
select order_id
from __dbt_tested_model
where order_id is null
) dbt_internal_test
