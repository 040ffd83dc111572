select top_up_id
from `sp01-warehouse`.`raw`.`top_up_records`
where top_up_id is null
