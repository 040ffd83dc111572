{#-
  First date an incremental run rebuilds: `lookback_days` before the latest date already in
  the model, so that settlements and late rows of recent days are picked up.
-#}
{% macro lookback_start(date_column) -%}
  (select cast({{ dbt.dateadd('day', -1 * var('lookback_days', 3), 'max(' ~ date_column ~ ')') }} as date) from {{ this }})
{%- endmacro %}
