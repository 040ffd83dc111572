-- batch 1 (one transaction)
truncate table "seeds"."countries";
insert into "seeds"."countries" ("code") values
('TW'); -- reports rows
