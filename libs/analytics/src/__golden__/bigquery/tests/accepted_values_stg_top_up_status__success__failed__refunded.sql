with all_values as (
    select
        status as value_field,
        count(*) as n_records
    from `sp01-warehouse`.`staging`.`stg_top_up`
    group by status
)
select *
from all_values
where value_field not in (
    'success','failed','refunded'
)
