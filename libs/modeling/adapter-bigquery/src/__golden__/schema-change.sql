-- job 1 of 2 (atomic)
alter table `sp01-test`.`dev_analytics_marts`.`orders`
    add column if not exists `channel` STRING,
    add column if not exists `refunded_at` TIMESTAMP

-- job 2 of 2 (atomic)
alter table `sp01-test`.`dev_analytics_marts`.`orders`
    drop column if exists `legacy_flag`
