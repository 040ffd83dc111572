{#-
  A rate: numerator / denominator, null when the denominator is 0 or null. Computed exactly
  (numeric), returned as a float: rates are not rounded, and a float compares the same way
  in every warehouse and in dbt's unit tests.
-#}
{% macro ratio(numerator, denominator) -%}
  cast(cast({{ numerator }} as {{ dbt.type_numeric() }}) / nullif({{ denominator }}, 0) as {{ dbt.type_float() }})
{%- endmacro %}
