select from_level
from `sp01-warehouse`.`marts`.`mart_membership_transitions`
where from_level is null
