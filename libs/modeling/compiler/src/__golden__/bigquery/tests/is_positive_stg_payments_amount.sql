
select amount
from `sp01-warehouse`.`analytics_staging`.`stg_payments`
where amount <= 0
