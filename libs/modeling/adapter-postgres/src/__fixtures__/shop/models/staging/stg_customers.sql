select
    id as customer_id,
    name,
    tier,
    updated_at
from {{ source('raw', 'customers') }}
