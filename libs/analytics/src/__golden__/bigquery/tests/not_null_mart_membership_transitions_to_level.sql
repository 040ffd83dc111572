select to_level
from `sp01-warehouse`.`marts`.`mart_membership_transitions`
where to_level is null
