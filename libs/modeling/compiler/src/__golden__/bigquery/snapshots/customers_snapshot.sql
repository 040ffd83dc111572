



select * from `sp01-warehouse`.`raw`.`customers`

