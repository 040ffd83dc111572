-- job 1 of 1 (atomic)
create or replace table `sp01-test`.`dev_analytics`.`members`
partition by range_bucket(member_id, generate_array(0, 1000000, 1000))
as (
select member_id, name from `sp01-test`.`dev_raw`.`members`
)
