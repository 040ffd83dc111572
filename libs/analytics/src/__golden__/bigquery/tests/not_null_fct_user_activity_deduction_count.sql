select deduction_count
from `sp01-warehouse`.`core`.`fct_user_activity`
where deduction_count is null
