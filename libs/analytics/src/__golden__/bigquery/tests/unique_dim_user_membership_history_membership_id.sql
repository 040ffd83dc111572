select
    membership_id as unique_field,
    count(*) as n_records
from `sp01-warehouse`.`core`.`dim_user_membership_history`
where membership_id is not null
group by membership_id
having count(*) > 1
