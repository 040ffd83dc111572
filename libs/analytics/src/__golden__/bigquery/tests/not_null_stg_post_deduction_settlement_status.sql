select settlement_status
from `sp01-warehouse`.`staging`.`stg_post_deduction`
where settlement_status is null
