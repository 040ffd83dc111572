select topup_count
from `sp01-warehouse`.`core`.`dim_users`
where topup_count is null
