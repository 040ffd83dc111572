select settled_at
from `sp01-warehouse`.`staging`.`stg_post_deduction`
where settled_at is null
