select topup_count
from `sp01-warehouse`.`core`.`fct_user_activity`
where topup_count is null
