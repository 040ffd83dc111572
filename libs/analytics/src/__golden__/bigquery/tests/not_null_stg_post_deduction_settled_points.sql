select settled_points
from `sp01-warehouse`.`staging`.`stg_post_deduction`
where settled_points is null
