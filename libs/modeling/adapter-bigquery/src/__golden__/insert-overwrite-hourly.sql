-- job 1 of 1 (atomic)
declare dbt_partitions_for_replacement array<timestamp>;

declare dbt_rows_affected int64 default 0;

create temp table `top_up_events__dbt_tmp`
as (
select top_up_id, member_id, amount, topped_up_at
from `sp01-test`.`dev_analytics_staging`.`stg_top_ups`
where topped_up_at > timestamp_sub(current_timestamp(), interval 6 hour)
);

set (dbt_partitions_for_replacement) = (
    select as struct
        array_agg(distinct timestamp_trunc(topped_up_at, hour) ignore nulls)
    from `top_up_events__dbt_tmp`
);

merge into `sp01-test`.`dev_analytics_marts`.`top_up_events` as DBT_INTERNAL_DEST
    using (
    select * from `top_up_events__dbt_tmp`
) as DBT_INTERNAL_SOURCE
    on FALSE

when not matched by source
    and timestamp_trunc(DBT_INTERNAL_DEST.topped_up_at, hour) in unnest(dbt_partitions_for_replacement)
    then delete

when not matched then insert
    (`top_up_id`, `member_id`, `amount`, `topped_up_at`)
values
    (`top_up_id`, `member_id`, `amount`, `topped_up_at`);

set dbt_rows_affected = dbt_rows_affected + coalesce(@@row_count, 0);

drop table if exists `top_up_events__dbt_tmp`;

select dbt_rows_affected;
