{% snapshot customers_snapshot_invalidate %}
{{ config(unique_key='id', strategy='check', check_cols=['tier', 'name'], hard_deletes='invalidate') }}
select id, name, tier, updated_at from {{ source('raw', 'customers') }}
{% endsnapshot %}
