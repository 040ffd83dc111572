select deduction_id
from `sp01-warehouse`.`raw`.`post_deduction`
where deduction_id is null
