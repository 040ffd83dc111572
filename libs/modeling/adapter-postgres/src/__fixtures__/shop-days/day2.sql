insert into "__RAW__".orders values
  (103, 2, '2024-01-02', 'placed', 7.00, now()),
  (104, 1, '2024-01-02', 'placed', 1.00, now());
update "__RAW__".orders set status = 'returned' where id = 102;
insert into "__RAW__".events values (3, 'logout', '2024-01-02 09:00', now());
update "__RAW__".customers set tier = 'gold', updated_at = '2024-01-02 09:00' where id = 2;
delete from "__RAW__".customers where id = 3;
