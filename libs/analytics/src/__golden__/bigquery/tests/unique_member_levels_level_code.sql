select
    level_code as unique_field,
    count(*) as n_records
from `sp01-warehouse`.`staging`.`member_levels`
where level_code is not null
group by level_code
having count(*) > 1
