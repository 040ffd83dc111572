select pre_points
from `sp01-warehouse`.`marts`.`mart_deduction_deviation`
where pre_points is null
