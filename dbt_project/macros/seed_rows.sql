{#- The rows of a pattern seed (ml_taxonomy, location_countries), read when the model
    runs, so each pattern can be written into the SQL as a constant: DuckDB compiles a
    constant regex once, but a pattern taken from a joined column for every row, which
    measured about 100 times slower on the bundled data. The seed is read from its own
    table (built before the model), also in unit tests, whose fixture for it must be the
    seed itself. Empty while parsing or linting, when the table does not exist. -#}
{% macro seed_rows(seed_name, order_by) %}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set relation = adapter.get_relation(
        database=target.database,
        schema=generate_schema_name('seeds', none),
        identifier=seed_name
    ) -%}
    {%- if relation is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set result = run_query('select * from ' ~ relation ~ ' order by ' ~ order_by) -%}
    {%- set rows = [] -%}
    {%- for row in result.rows -%}
        {%- do rows.append(dict(zip(result.column_names, row))) -%}
    {%- endfor -%}
    {{ return(rows) }}
{% endmacro %}

{#- A value as a SQL string literal. -#}
{% macro sql_string(value) -%}
    '{{ value | replace("'", "''") }}'
{%- endmacro %}
