-- job 1 of 1 (atomic)
declare dbt_partitions_for_replacement array<date>;

declare dbt_rows_affected int64 default 0;

create temp table `top_ups_by_day__dbt_tmp`
as (
select top_up_date, channel, sum(amount) as amount
from `sp01-test`.`dev_analytics_marts`.`daily_top_ups`
where top_up_date >= date_sub(current_date(), interval 3 day)
group by 1, 2
);

set (dbt_partitions_for_replacement) = (
    select as struct
        array_agg(distinct date(top_up_date) ignore nulls)
    from `top_ups_by_day__dbt_tmp`
);

merge into `sp01-test`.`dev_analytics_marts`.`top_ups_by_day` as DBT_INTERNAL_DEST
    using (
    select * from `top_ups_by_day__dbt_tmp`
) as DBT_INTERNAL_SOURCE
    on FALSE

when not matched by source
    and date(DBT_INTERNAL_DEST.top_up_date) in unnest(dbt_partitions_for_replacement)
    then delete

when not matched then insert
    (`top_up_date`, `channel`, `amount`)
values
    (`top_up_date`, `channel`, `amount`);

set dbt_rows_affected = dbt_rows_affected + coalesce(@@row_count, 0);

drop table if exists `top_ups_by_day__dbt_tmp`;

select dbt_rows_affected;
