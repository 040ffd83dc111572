-- job 1 of 2
drop view if exists `sp01-test`.`dev_analytics_raw_seeds`.`raw_payments`

-- job 2 of 2 (atomic)
-- load job: 1 rows as NEWLINE_DELIMITED_JSON into `sp01-test`.`dev_analytics_raw_seeds`.`raw_payments` (WRITE_TRUNCATE, CREATE_IF_NEEDED)
-- schema: id INT64, payment_method STRING, amount NUMERIC(12, 2)
