select third_topup_30d
from `sp01-warehouse`.`marts`.`mart_topup_funnel`
where third_topup_30d is null
