select direction
from `sp01-warehouse`.`marts`.`mart_membership_transitions`
where direction is null
