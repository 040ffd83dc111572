{#- The Monday that starts the (local) week of a date: weeks start on Monday. -#}
{% macro week_start(date_expr) -%}
  {%- if target.type == 'bigquery' -%}
    date_trunc({{ date_expr }}, isoweek)
  {%- else -%}
    cast(date_trunc('week', {{ date_expr }}) as date)
  {%- endif -%}
{%- endmacro %}
