{#- Absolute landing folder: set by the pipeline (HS_LANDING_DIR), else the repo default. -#}
{% macro landing_dir() -%}
    {{ env_var('HS_LANDING_DIR', '../data/landing') }}
{%- endmacro %}
