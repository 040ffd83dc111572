-- The raw tables the jaffle fixture (libs/modeling/compiler/src/__fixtures__/jaffle) reads.
create schema raw;
create table raw.customers (id integer, first_name text, last_name text, updated_at timestamp default '2024-01-01 09:00', _loaded_at timestamptz default now());
create table raw.orders (id integer, user_id integer, order_date date, status text);
create table raw.top_up_records (top_up_id integer, member_id integer, amount text, topped_up_at timestamp, loaded_at timestamptz default now());
insert into raw.customers (id, first_name, last_name) values (1, 'Ada', 'Lovelace'), (2, 'Alan', 'Turing'), (3, 'Grace', 'Hopper');
insert into raw.orders values
  (1, 1, '2024-01-02', 'placed'), (2, 1, '2024-01-05', 'shipped'), (3, 2, '2024-02-01', 'completed'),
  (4, 3, '2024-02-03', 'returned'), (5, 2, '2023-12-30', 'placed');
insert into raw.top_up_records (top_up_id, member_id, amount, topped_up_at) values
  (10, 1, '100.50', '2024-01-02 10:00:00'), (11, 2, '30', '2024-01-02 18:30:00'), (12, 1, '75', '2024-01-03 02:00:00');
