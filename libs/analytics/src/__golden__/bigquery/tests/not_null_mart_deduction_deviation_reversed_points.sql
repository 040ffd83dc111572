select reversed_points
from `sp01-warehouse`.`marts`.`mart_deduction_deviation`
where reversed_points is null
