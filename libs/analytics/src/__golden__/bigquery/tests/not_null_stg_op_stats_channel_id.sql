select channel_id
from `sp01-warehouse`.`staging`.`stg_op_stats`
where channel_id is null
