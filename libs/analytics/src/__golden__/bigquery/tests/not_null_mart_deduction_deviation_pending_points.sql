select pending_points
from `sp01-warehouse`.`marts`.`mart_deduction_deviation`
where pending_points is null
