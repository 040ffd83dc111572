select quantity
from `sp01-warehouse`.`staging`.`stg_pre_deduction`
where quantity is null
