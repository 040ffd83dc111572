select deduction_date
from `sp01-warehouse`.`marts`.`mart_deduction_deviation`
where deduction_date is null
