{% snapshot orders_status_snapshot %}
{{
    config(
        unique_key='order_id',
        strategy='check',
        check_cols=['status'],
        hard_deletes='new_record',
        target_schema=none,
        schema='history'
    )
}}
select order_id, status, customer_id from {{ ref('stg_orders') }}
{% endsnapshot %}
