-- batch 1 (one transaction)
alter table "analytics"."orders"
    add column "channel" text,
    drop column "legacy_flag";
