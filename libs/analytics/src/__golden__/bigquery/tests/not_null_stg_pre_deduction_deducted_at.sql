select deducted_at
from `sp01-warehouse`.`staging`.`stg_pre_deduction`
where deducted_at is null
