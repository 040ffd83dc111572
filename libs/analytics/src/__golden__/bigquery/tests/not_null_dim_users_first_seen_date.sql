select first_seen_date
from `sp01-warehouse`.`core`.`dim_users`
where first_seen_date is null
