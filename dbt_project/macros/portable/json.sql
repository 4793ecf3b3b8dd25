{#- JSON fields on DuckDB (JSON type, '$.key' paths) and Postgres (jsonb, keys). On
    Postgres a JSON null comes out as SQL null, as on DuckDB. -#}

{#- The value of `key` in a JSON object, as JSON. -#}
{% macro json_get(expression, key) -%}
    {{ return(adapter.dispatch('json_get', 'hiring_signals')(expression, key)) }}
{%- endmacro %}

{% macro default__json_get(expression, key) -%}
    {{ expression }} -> '$.{{ key }}'
{%- endmacro %}

{% macro postgres__json_get(expression, key) -%}
    nullif({{ expression }} -> '{{ key }}', 'null'::jsonb)
{%- endmacro %}

{#- The value of `key` in a JSON object, as text. -#}
{% macro json_get_text(expression, key) -%}
    {{ return(adapter.dispatch('json_get_text', 'hiring_signals')(expression, key)) }}
{%- endmacro %}

{% macro default__json_get_text(expression, key) -%}
    {{ expression }} ->> '$.{{ key }}'
{%- endmacro %}

{% macro postgres__json_get_text(expression, key) -%}
    {{ expression }} ->> '{{ key }}'
{%- endmacro %}

{#- One row per element of a JSON array (a set-returning expression for the select
    list; no rows for null or a value that is not an array). -#}
{% macro json_array_elements(expression) -%}
    {{ return(adapter.dispatch('json_array_elements', 'hiring_signals')(expression)) }}
{%- endmacro %}

{% macro default__json_array_elements(expression) -%}
    unnest(cast({{ expression }} as json[]))
{%- endmacro %}

{% macro postgres__json_array_elements(expression) -%}
    jsonb_array_elements(case when jsonb_typeof({{ expression }}) = 'array' then {{ expression }} end)
{%- endmacro %}

{#- The text of `key` in every object of a JSON array, as a list / text[]. -#}
{% macro json_array_field_texts(expression, key) -%}
    {{ return(adapter.dispatch('json_array_field_texts', 'hiring_signals')(expression, key)) }}
{%- endmacro %}

{% macro default__json_array_field_texts(expression, key) -%}
    cast(json_extract_string({{ expression }}, '$[*].{{ key }}') as varchar[])
{%- endmacro %}

{% macro postgres__json_array_field_texts(expression, key) -%}
    case when jsonb_typeof({{ expression }}) = 'array' then array(
        select element.value ->> '{{ key }}'
        from jsonb_array_elements({{ expression }}) with ordinality as element (value, n)
        order by element.n
    ) end
{%- endmacro %}
