-- job 1 of 1 (atomic)
declare dbt_partition_lower_bound date;

declare dbt_rows_affected int64 default 0;

create temp table `orders__dbt_tmp`
as (
with orders as (
    select * from `sp01-test`.`dev_analytics_staging`.`stg_orders`
)
select order_id, customer_id, order_date, status, amount
from orders
where order_date >= (select max(order_date) from `sp01-test`.`dev_analytics_marts`.`orders`)
);

set dbt_partition_lower_bound = (
    select min(order_date) from `orders__dbt_tmp`
);

merge into `sp01-test`.`dev_analytics_marts`.`orders` as DBT_INTERNAL_DEST
    using `orders__dbt_tmp` as DBT_INTERNAL_SOURCE
    on (DBT_INTERNAL_DEST.order_date >= dbt_partition_lower_bound) and (DBT_INTERNAL_DEST.order_date >= date_sub(current_date(), interval 7 day)) and (DBT_INTERNAL_SOURCE.order_id = DBT_INTERNAL_DEST.order_id)

when matched then update set
    `order_id` = DBT_INTERNAL_SOURCE.`order_id`,
    `customer_id` = DBT_INTERNAL_SOURCE.`customer_id`,
    `order_date` = DBT_INTERNAL_SOURCE.`order_date`,
    `status` = DBT_INTERNAL_SOURCE.`status`,
    `amount` = DBT_INTERNAL_SOURCE.`amount`

when not matched then insert
    (`order_id`, `customer_id`, `order_date`, `status`, `amount`)
values
    (`order_id`, `customer_id`, `order_date`, `status`, `amount`);

set dbt_rows_affected = dbt_rows_affected + coalesce(@@row_count, 0);

drop table if exists `orders__dbt_tmp`;

select dbt_rows_affected;
