{#- A one-column table of week offsets 0, 1, … from one week start to a later one (inclusive). -#}
{% macro week_offsets(from_week, to_week) -%}
  {%- if target.type == 'bigquery' -%}
    unnest(generate_array(0, div(date_diff({{ to_week }}, {{ from_week }}, day), 7)))
  {%- else -%}
    generate_series(0, ({{ to_week }} - {{ from_week }}) / 7)
  {%- endif -%}
{%- endmacro %}
