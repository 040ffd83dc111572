select channel_id
from `sp01-warehouse`.`staging`.`stg_pre_deduction`
where channel_id is null
