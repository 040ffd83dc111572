select active_users
from `sp01-warehouse`.`marts`.`mart_retention`
where active_users is null
