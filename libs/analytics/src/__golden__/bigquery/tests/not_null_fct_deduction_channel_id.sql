select channel_id
from `sp01-warehouse`.`core`.`fct_deduction`
where channel_id is null
