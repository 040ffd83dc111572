select points
from `sp01-warehouse`.`staging`.`stg_pre_deduction`
where points is null
