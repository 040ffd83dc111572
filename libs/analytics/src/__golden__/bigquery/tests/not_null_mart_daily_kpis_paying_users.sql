select paying_users
from `sp01-warehouse`.`marts`.`mart_daily_kpis`
where paying_users is null
