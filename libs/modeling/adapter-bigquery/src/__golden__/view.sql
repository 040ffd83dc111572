-- job 1 of 1 (atomic)
create or replace view `sp01-test`.`dev_analytics_marts`.`customer_overview_v`
OPTIONS(
    labels=[('domain', 'sales')]
)
as select customer_id, full_name from `sp01-test`.`dev_analytics_marts`.`customers`
