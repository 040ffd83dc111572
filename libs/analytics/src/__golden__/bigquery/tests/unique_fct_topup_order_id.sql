select
    order_id as unique_field,
    count(*) as n_records
from `sp01-warehouse`.`core`.`fct_topup`
where order_id is not null
group by order_id
having count(*) > 1
