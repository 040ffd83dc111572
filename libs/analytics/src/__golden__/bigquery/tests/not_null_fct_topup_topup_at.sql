select topup_at
from `sp01-warehouse`.`core`.`fct_topup`
where topup_at is null
