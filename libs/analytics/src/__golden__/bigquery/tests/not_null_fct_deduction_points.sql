select points
from `sp01-warehouse`.`core`.`fct_deduction`
where points is null
