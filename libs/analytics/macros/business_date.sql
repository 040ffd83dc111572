{#- The Asia/Taipei calendar date of an instant: business dates are local dates. -#}
{% macro business_date(timestamp_expr) -%}
  {%- if target.type == 'bigquery' -%}
    date({{ timestamp_expr }}, 'Asia/Taipei')
  {%- else -%}
    cast(({{ timestamp_expr }}) at time zone 'Asia/Taipei' as date)
  {%- endif -%}
{%- endmacro %}
