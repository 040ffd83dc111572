select channel_id
from `sp01-warehouse`.`marts`.`mart_deduction_deviation`
where channel_id is null
