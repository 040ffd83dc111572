{% snapshot customers_snapshot_new_record %}
{{ config(unique_key='id', strategy='timestamp', updated_at='updated_at', hard_deletes='new_record') }}
select id, name, tier, updated_at from {{ source('raw', 'customers') }}
{% endsnapshot %}
