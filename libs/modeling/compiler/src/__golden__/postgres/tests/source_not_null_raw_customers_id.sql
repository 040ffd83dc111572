select id
from "raw"."customers"
where id is null
