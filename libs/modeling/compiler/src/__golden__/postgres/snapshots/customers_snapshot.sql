



select * from "raw"."customers"

