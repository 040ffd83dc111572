{% snapshot customers_snapshot_ignore %}
{{ config(unique_key='id', strategy='timestamp', updated_at='updated_at', hard_deletes='ignore') }}
select id, name, tier, updated_at from {{ source('raw', 'customers') }}
{% endsnapshot %}
