select
    deduction_id as unique_field,
    count(*) as n_records
from `sp01-warehouse`.`raw`.`post_deduction`
where deduction_id is not null
group by deduction_id
having count(*) > 1
