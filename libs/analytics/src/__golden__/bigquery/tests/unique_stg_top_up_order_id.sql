select
    order_id as unique_field,
    count(*) as n_records
from `sp01-warehouse`.`staging`.`stg_top_up`
where order_id is not null
group by order_id
having count(*) > 1
