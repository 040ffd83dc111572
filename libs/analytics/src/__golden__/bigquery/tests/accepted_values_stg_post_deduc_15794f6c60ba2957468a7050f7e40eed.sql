with all_values as (
    select
        settlement_status as value_field,
        count(*) as n_records
    from `sp01-warehouse`.`staging`.`stg_post_deduction`
    group by settlement_status
)
select *
from all_values
where value_field not in (
    'settled','reversed','partially_reversed'
)
