select started_by_order_id
from `sp01-warehouse`.`core`.`dim_user_membership_history`
where started_by_order_id is null
