with child as (
    select currency as from_field
    from `sp01-warehouse`.`staging`.`stg_top_up`
    where currency is not null
),
parent as (
    select currency as to_field
    from `sp01-warehouse`.`staging`.`fx_rates`
)
select
    from_field
from child
left join parent
    on child.from_field = parent.to_field
where parent.to_field is null
