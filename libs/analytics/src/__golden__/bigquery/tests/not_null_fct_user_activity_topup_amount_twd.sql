select topup_amount_twd
from `sp01-warehouse`.`core`.`fct_user_activity`
where topup_amount_twd is null
