select payment_id
from `sp01-warehouse`.`analytics_staging`.`stg_payments`
where payment_id is null
