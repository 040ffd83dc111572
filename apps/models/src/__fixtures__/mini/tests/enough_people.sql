select * from {{ ref('teams') }} where people < {{ var('min_people', 0) }}
