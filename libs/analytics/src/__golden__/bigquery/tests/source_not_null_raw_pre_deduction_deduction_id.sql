select deduction_id
from `sp01-warehouse`.`raw`.`pre_deduction`
where deduction_id is null
