select topup_date
from `sp01-warehouse`.`core`.`fct_topup`
where topup_date is null
