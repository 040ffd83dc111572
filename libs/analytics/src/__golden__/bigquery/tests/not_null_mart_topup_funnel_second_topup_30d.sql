select second_topup_30d
from `sp01-warehouse`.`marts`.`mart_topup_funnel`
where second_topup_30d is null
