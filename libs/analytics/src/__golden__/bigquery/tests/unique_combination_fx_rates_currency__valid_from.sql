
select currency, valid_from, count(*) as n_records
from `sp01-warehouse`.`staging`.`fx_rates`
group by currency, valid_from
having count(*) > 1
