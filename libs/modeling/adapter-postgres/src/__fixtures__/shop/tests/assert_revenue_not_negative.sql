{{ config(warn_if='>0', error_if='>2') }}
select customer_id, revenue
from {{ ref('customers') }}
where revenue < 0
