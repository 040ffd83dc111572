select transition_date
from `sp01-warehouse`.`marts`.`mart_membership_transitions`
where transition_date is null
