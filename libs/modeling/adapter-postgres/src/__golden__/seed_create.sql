-- batch 1 (one transaction)
create table "seeds"."countries" ("code" varchar(2), "name" text);
insert into "seeds"."countries" ("code", "name") values
('TW', 'Taiwan'),
('NZ', 'New Zealand, Aotearoa''s'),
('XX', null); -- reports rows
