select users
from `sp01-warehouse`.`marts`.`mart_membership_transitions`
where users is null
