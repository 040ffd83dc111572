select deducted_date
from `sp01-warehouse`.`core`.`fct_deduction`
where deducted_date is null
