select settled_date
from `sp01-warehouse`.`staging`.`stg_post_deduction`
where settled_date is null
