select id
from "analytics_raw_seeds"."raw_payments"
where id is null
