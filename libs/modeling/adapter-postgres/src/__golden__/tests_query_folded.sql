with __dbt_tested_model as materialized (
    select * from "analytics"."orders"
)
select 'test.shop.not_null_orders_order_id.1' as unique_id, count(*) as failures
from (
select order_id
from __dbt_tested_model
where order_id is null
) dbt_internal_test
union all
select 'test.shop.unique_orders_order_id.2' as unique_id, count(*) as failures
from (
select order_id as unique_field, count(*) as n_records
from __dbt_tested_model
where order_id is not null
group by order_id
having count(*) > 1
) dbt_internal_test
union all
select 'test.shop.relationships_orders_customer_id.3' as unique_id, count(*) as failures
from (
with child as (
    select customer_id as from_field
    from (select * from __dbt_tested_model where status <> 'x') dbt_subquery
    where customer_id is not null
),
parent as (
    select customer_id as to_field
    from "analytics"."customers"
)
select from_field
from child
left join parent on child.from_field = parent.to_field
where parent.to_field is null
) dbt_internal_test
