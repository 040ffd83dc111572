-- job 1 of 2
drop table if exists `sp01-test`.`dev_analytics_marts`.`customer_overview_v`

-- job 2 of 2 (atomic)
create or replace view `sp01-test`.`dev_analytics_marts`.`customer_overview_v`
as select 1 as x
