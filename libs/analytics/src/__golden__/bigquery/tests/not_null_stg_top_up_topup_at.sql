select topup_at
from `sp01-warehouse`.`staging`.`stg_top_up`
where topup_at is null
