with all_values as (
    select
        item_type as value_field,
        count(*) as n_records
    from `sp01-warehouse`.`staging`.`stg_pre_deduction`
    group by item_type
)
select *
from all_values
where value_field not in (
    'gift','membership','barrage','other'
)
