select
    member_level as unique_field,
    count(*) as n_records
from `sp01-warehouse`.`staging`.`member_levels`
where member_level is not null
group by member_level
having count(*) > 1
