{#- Keeps the history of each channel's name and category as dim_channels saw them at each build. -#}
{% snapshot snap_channels %}

{{
    config(
        unique_key='channel_id',
        strategy='check',
        check_cols=['channel_name', 'category']
    )
}}

select channel_id, channel_name, category
from {{ ref('dim_channels') }}

{% endsnapshot %}
