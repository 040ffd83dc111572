select second_topup_7d_rate
from `sp01-warehouse`.`marts`.`mart_topup_funnel`
where second_topup_7d_rate is null
