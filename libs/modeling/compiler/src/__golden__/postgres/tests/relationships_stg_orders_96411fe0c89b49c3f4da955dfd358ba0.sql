with child as (
    select customer_id as from_field
    from (select * from "analytics_staging"."stg_orders" where order_date >= '2024-01-01') dbt_subquery
    where customer_id is not null
),
parent as (
    select customer_id as to_field
    from "analytics_staging"."stg_customers"
)
select
    from_field
from child
left join parent
    on child.from_field = parent.to_field
where parent.to_field is null
