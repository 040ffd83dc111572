select is_anomaly
from `sp01-warehouse`.`marts`.`mart_deduction_deviation`
where is_anomaly is null
