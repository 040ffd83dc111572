with child as (
    select payment_method as from_field
    from `sp01-warehouse`.`staging`.`stg_top_up`
    where payment_method is not null
),
parent as (
    select payment_method as to_field
    from `sp01-warehouse`.`staging`.`payment_methods`
)
select
    from_field
from child
left join parent
    on child.from_field = parent.to_field
where parent.to_field is null
