{#- Use the configured schema name as is (staging, intermediate, marts, seeds),
    so analysts see `marts.fct_job_postings`, not `main_marts.fct_job_postings`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name | trim if custom_schema_name else target.schema }}
{%- endmacro %}
