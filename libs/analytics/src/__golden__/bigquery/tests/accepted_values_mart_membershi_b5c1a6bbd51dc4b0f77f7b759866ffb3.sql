with all_values as (
    select
        direction as value_field,
        count(*) as n_records
    from `sp01-warehouse`.`marts`.`mart_membership_transitions`
    group by direction
)
select *
from all_values
where value_field not in (
    'upgrade','downgrade'
)
