{%- set source_system = env_var('SP01_SOURCE_SYSTEM', 'backoffice') -%}
select
    top_up_id,
    member_id,
    {{ dbt.safe_cast('amount', dbt.type_numeric()) }} as amount,
    {{ dbt.safe_cast('topped_up_at', dbt.type_timestamp()) }} as topped_up_at,
    {{ dbt.dateadd('hour', 8, 'topped_up_at') }} as topped_up_at_taipei,
    {{ dbt.hash(dbt.concat(['member_id', "'-'", 'top_up_id'])) }} as top_up_key,
    cast('{{ source_system }}' as {{ dbt.type_string() }}) as source_system,
    {{ dbt.current_timestamp() }} as _transformed_at
from {{ source('raw', 'top_up') }}
