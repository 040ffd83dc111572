select settled_pre_points
from `sp01-warehouse`.`marts`.`mart_deduction_deviation`
where settled_pre_points is null
