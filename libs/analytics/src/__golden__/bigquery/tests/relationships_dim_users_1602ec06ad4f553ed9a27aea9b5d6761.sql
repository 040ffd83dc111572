with child as (
    select current_member_level as from_field
    from `sp01-warehouse`.`core`.`dim_users`
    where current_member_level is not null
),
parent as (
    select member_level as to_field
    from `sp01-warehouse`.`staging`.`member_levels`
)
select
    from_field
from child
left join parent
    on child.from_field = parent.to_field
where parent.to_field is null
