{#- Whole weeks from one week start to another (both Mondays). -#}
{% macro weeks_between(from_week, to_week) -%}
  cast({{ dbt.datediff(from_week, to_week, 'day') }} / 7 as {{ dbt.type_int() }})
{%- endmacro %}

{#- A one-column table of week offsets 0, 1, … from one week start to a later one (inclusive). -#}
{% macro week_offsets(from_week, to_week) -%}
  {%- if target.type == 'bigquery' -%}
    unnest(generate_array(0, {{ weeks_between(from_week, to_week) }}))
  {%- else -%}
    generate_series(0, {{ weeks_between(from_week, to_week) }})
  {%- endif -%}
{%- endmacro %}
