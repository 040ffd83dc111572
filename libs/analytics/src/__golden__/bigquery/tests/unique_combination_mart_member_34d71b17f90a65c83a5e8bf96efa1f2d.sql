
select transition_date, from_level, to_level, count(*) as n_records
from `sp01-warehouse`.`marts`.`mart_membership_transitions`
group by transition_date, from_level, to_level
having count(*) > 1
