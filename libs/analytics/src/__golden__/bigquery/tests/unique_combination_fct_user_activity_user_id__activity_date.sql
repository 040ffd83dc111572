
select user_id, activity_date, count(*) as n_records
from `sp01-warehouse`.`core`.`fct_user_activity`
group by user_id, activity_date
having count(*) > 1
