select deduction_id
from `sp01-warehouse`.`staging`.`stg_post_deduction`
where deduction_id is null
