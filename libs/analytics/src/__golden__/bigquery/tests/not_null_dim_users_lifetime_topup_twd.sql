select lifetime_topup_twd
from `sp01-warehouse`.`core`.`dim_users`
where lifetime_topup_twd is null
