select deduction_id
from `sp01-warehouse`.`core`.`fct_deduction`
where deduction_id is null
