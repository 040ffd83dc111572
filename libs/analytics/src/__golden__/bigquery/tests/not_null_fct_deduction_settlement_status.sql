select settlement_status
from `sp01-warehouse`.`core`.`fct_deduction`
where settlement_status is null
