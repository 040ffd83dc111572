
select deduction_date, channel_id, count(*) as n_records
from `sp01-warehouse`.`marts`.`mart_deduction_deviation`
group by deduction_date, channel_id
having count(*) > 1
