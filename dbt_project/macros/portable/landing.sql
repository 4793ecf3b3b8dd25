{#- The rows of a landing source, with the fields and types of the project var
    landing_columns (passed by hiring-signals from the record models).

    DuckDB reads the landing files in place: the source's external_location calls
    read_json with those columns. Postgres cannot read the files: `hiring-signals
    load-postgres` (include/hiring_signals/pg_landing.py) copies every landed line into
    the table landing.<source> (record jsonb, filename, line_number), and this macro
    types the fields of `record` as read_json would. A field whose value does not
    convert (or every field of a line that was not JSON: its record is null) is null,
    as read_json with ignore_errors reads it. -#}

{% macro landing_source(table_name) -%}
    {{ return(adapter.dispatch('landing_source', 'hiring_signals')(table_name)) }}
{%- endmacro %}

{% macro default__landing_source(table_name) -%}
    select * from {{ source('landing', table_name) }}
{%- endmacro %}

{% macro postgres__landing_source(table_name) -%}
    {%- set relation = source('landing', table_name) -%}
    select
    {%- for name, type in landing_columns(table_name) %}
        {{ landing_field(name, type) }} as {{ adapter.quote(name | lower) }},
    {%- endfor %}
        filename
    from {{ relation }}
{%- endmacro %}

{#- (name, DuckDB type) of every field of a source (the var landing_columns). -#}
{% macro landing_columns(table_name) -%}
    {{ return(var('landing_columns')[table_name].items() | list) }}
{%- endmacro %}

{#- One field of the landed JSON object `record`, typed. -#}
{% macro landing_field(name, type) -%}
    {%- set field = "record ->> '" ~ name ~ "'" -%}
    {%- if type == 'VARCHAR' -%}
        {{ field }}
    {%- elif type == 'JSON' -%}
        nullif(record -> '{{ name }}', 'null'::jsonb)
    {%- elif type == 'VARCHAR[]' -%}
        {{ portable_schema() }}.hs_json_text_array(record -> '{{ name }}')
    {%- elif type in ('BIGINT', 'DOUBLE', 'BOOLEAN', 'TIMESTAMPTZ') -%}
        {{ try_cast_to(field, type | lower) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("landing_field(): no Postgres type for " ~ type) }}
    {%- endif -%}
{%- endmacro %}
