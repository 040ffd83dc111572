select topup_date
from `sp01-warehouse`.`staging`.`stg_top_up`
where topup_date is null
