{#- Every business date that appears in any of the four reports. -#}
{% macro source_dates() -%}
    select topup_date as source_date from {{ ref('stg_top_up') }}
    union distinct
    select deducted_date from {{ ref('stg_pre_deduction') }}
    union distinct
    select settled_date from {{ ref('stg_post_deduction') }}
    union distinct
    select stat_date from {{ ref('stg_op_stats') }}
{%- endmacro %}
