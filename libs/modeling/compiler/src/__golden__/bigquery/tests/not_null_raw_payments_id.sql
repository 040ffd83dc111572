select id
from `sp01-warehouse`.`analytics_raw_seeds`.`raw_payments`
where id is null
