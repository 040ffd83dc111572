


select
    customer_id,
    full_name,
    case
        when lifetime_value >= 1000 then 'gold'
        when lifetime_value >= 100 then 'silver'
        else 'bronze'
    end as tier
from `sp01-warehouse`.`analytics_marts`.`customers`
where number_of_orders > 0
