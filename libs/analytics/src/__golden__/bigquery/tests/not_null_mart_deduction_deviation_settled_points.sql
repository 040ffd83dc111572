select settled_points
from `sp01-warehouse`.`marts`.`mart_deduction_deviation`
where settled_points is null
