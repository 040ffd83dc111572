
select amount
from "analytics_staging"."stg_payments"
where amount <= 0
