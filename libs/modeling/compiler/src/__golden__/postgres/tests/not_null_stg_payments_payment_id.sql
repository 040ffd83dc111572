select payment_id
from "analytics_staging"."stg_payments"
where payment_id is null
