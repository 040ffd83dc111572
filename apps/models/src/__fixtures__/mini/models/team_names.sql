select team from {{ ref('teams') }}
