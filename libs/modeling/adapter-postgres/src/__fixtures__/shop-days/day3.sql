insert into "__RAW__".orders values (105, 2, '2024-01-03', 'placed', 3.00, now());
update "__RAW__".orders set amount = 2.00 where id = 104;
insert into "__RAW__".customers values (3, 'Grace', 'bronze', '2024-01-03 09:00', now());
update "__RAW__".customers set name = 'Ada L.', updated_at = '2024-01-03 09:00' where id = 1;
