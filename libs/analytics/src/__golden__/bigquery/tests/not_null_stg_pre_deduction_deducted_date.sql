select deducted_date
from `sp01-warehouse`.`staging`.`stg_pre_deduction`
where deducted_date is null
