select team, count(*) as people, min(joined_on) as first_joined
from {{ ref('people') }}
group by team
