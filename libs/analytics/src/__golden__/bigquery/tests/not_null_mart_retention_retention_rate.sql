select retention_rate
from `sp01-warehouse`.`marts`.`mart_retention`
where retention_rate is null
