select second_topup_7d
from `sp01-warehouse`.`marts`.`mart_topup_funnel`
where second_topup_7d is null
