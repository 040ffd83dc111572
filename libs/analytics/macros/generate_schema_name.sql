{#
  Schemas are exactly staging, core and marts (not dbt's default <target>_<custom>), each
  behind the schema prefix that also names the raw schema: `dev_` → dev_staging, dev_marts.
  A node without a custom schema goes to the prefixed target schema.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
  {%- set prefix = var('schema_prefix', env_var('SP01_SCHEMA_PREFIX', '')) | trim -%}
  {%- if custom_schema_name is none -%}
    {{ prefix }}{{ target.schema | trim }}
  {%- else -%}
    {{ prefix }}{{ custom_schema_name | trim }}
  {%- endif -%}
{%- endmacro %}
