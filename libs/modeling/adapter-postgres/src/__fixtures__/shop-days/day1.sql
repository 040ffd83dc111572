create schema if not exists "__RAW__";
create table "__RAW__".customers (id integer, name text, tier text, updated_at timestamp, loaded_at timestamptz);
create table "__RAW__".orders (id integer, customer_id integer, order_date date, status text, amount numeric(10,2), loaded_at timestamptz);
create table "__RAW__".events (id integer, kind text, occurred_at timestamp, loaded_at timestamptz);
insert into "__RAW__".customers values
  (1, 'Ada', 'gold', '2024-01-01 09:00', now()),
  (2, 'Alan', 'silver', '2024-01-01 09:00', now()),
  (3, 'Grace', 'bronze', '2024-01-01 09:00', now());
insert into "__RAW__".orders values
  (100, 1, '2024-01-01', 'placed', 10.00, now()),
  (101, 2, '2024-01-01', 'placed', 20.00, now()),
  (102, 1, '2024-01-01', 'shipped', 5.50, now());
insert into "__RAW__".events values
  (1, 'login', '2024-01-01 10:00', now()),
  (2, 'click', '2024-01-01 11:00', now());
