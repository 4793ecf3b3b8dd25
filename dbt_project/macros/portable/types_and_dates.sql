{#- Types, casts, dates and times on DuckDB (the default: the SQL the models were
    written in) and Postgres. -#}

{#- The 8-byte float: DuckDB's DOUBLE, Postgres's double precision. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'hiring_signals')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double
{%- endmacro %}

{% macro postgres__type_double() -%}
    double precision
{%- endmacro %}

{#- try_cast(expression as type_name): null where the value does not convert.
    type_name: bigint, double, boolean, date or timestamptz. -#}
{% macro try_cast_to(expression, type_name) -%}
    {{ return(adapter.dispatch('try_cast_to', 'hiring_signals')(expression, type_name)) }}
{%- endmacro %}

{% macro default__try_cast_to(expression, type_name) -%}
    try_cast({{ expression }} as {{ type_name }})
{%- endmacro %}

{% macro postgres__try_cast_to(expression, type_name) -%}
    {%- if type_name not in ['bigint', 'double', 'boolean', 'date', 'timestamptz'] -%}
        {{ exceptions.raise_compiler_error("try_cast_to(): no Postgres version for type " ~ type_name) }}
    {%- endif -%}
    {{ portable_schema() }}.hs_try_cast_{{ type_name }}(({{ expression }})::text)
{%- endmacro %}

{#- A strptime format (%Y %m %d %H %M %S and literal characters) as a Postgres
    to_timestamp format and as the shape (a regex) the text must have. -#}
{% macro portable_strptime_format(format) -%}
    {%- set fields = {
        '%Y': ('YYYY', '[0-9]{4}'), '%m': ('MM', '[0-9]{1,2}'), '%d': ('DD', '[0-9]{1,2}'),
        '%H': ('HH24', '[0-9]{1,2}'), '%M': ('MI', '[0-9]{1,2}'), '%S': ('SS', '[0-9]{1,2}'),
    } -%}
    {%- set pg_format = [] -%}
    {%- set shape = ['^'] -%}
    {%- set tokens = modules.re.findall('%.|[^%]', format) -%}
    {%- for token in tokens -%}
        {%- if token in fields -%}
            {%- do pg_format.append(fields[token][0]) -%}
            {%- do shape.append(fields[token][1]) -%}
        {%- elif token.startswith('%') -%}
            {{ exceptions.raise_compiler_error("portable_strptime_format(): unsupported " ~ token) }}
        {%- else -%}
            {%- do pg_format.append('"' ~ token ~ '"' if token.isalpha() else token) -%}
            {%- do shape.append('[' ~ token ~ ']') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do shape.append('$') -%}
    {{ return((pg_format | join(''), shape | join(''))) }}
{%- endmacro %}

{#- strptime(text, format)::date: a date from text, an error where it does not parse. -#}
{% macro parse_date(expression, format) -%}
    {{ return(adapter.dispatch('parse_date', 'hiring_signals')(expression, format)) }}
{%- endmacro %}

{% macro default__parse_date(expression, format) -%}
    strptime({{ expression }}, '{{ format }}')::date
{%- endmacro %}

{% macro postgres__parse_date(expression, format) -%}
    to_date({{ expression }}, '{{ portable_strptime_format(format)[0] }}')
{%- endmacro %}

{#- try_strptime(text, format): a timestamp (no time zone) from text, null where the
    text does not have the format. -#}
{% macro try_parse_timestamp(expression, format) -%}
    {{ return(adapter.dispatch('try_parse_timestamp', 'hiring_signals')(expression, format)) }}
{%- endmacro %}

{% macro default__try_parse_timestamp(expression, format) -%}
    try_strptime({{ expression }}, '{{ format }}')
{%- endmacro %}

{% macro postgres__try_parse_timestamp(expression, format) -%}
    {%- set pg_format, shape = portable_strptime_format(format) -%}
    {{ portable_schema() }}.hs_try_strptime({{ expression }}, '{{ shape }}', '{{ pg_format }}')
{%- endmacro %}

{#- epoch_ms(bigint): milliseconds since 1970 as a timestamp without time zone (UTC). -#}
{% macro epoch_ms_to_timestamp(expression) -%}
    {{ return(adapter.dispatch('epoch_ms_to_timestamp', 'hiring_signals')(expression)) }}
{%- endmacro %}

{% macro default__epoch_ms_to_timestamp(expression) -%}
    epoch_ms({{ expression }})
{%- endmacro %}

{% macro postgres__epoch_ms_to_timestamp(expression) -%}
    (timestamp '1970-01-01' + ({{ expression }}) * interval '1 millisecond')
{%- endmacro %}

{#- year(x), month(x): a part of a date as an integer. -#}
{% macro date_part_int(part, expression) -%}
    {{ return(adapter.dispatch('date_part_int', 'hiring_signals')(part, expression)) }}
{%- endmacro %}

{% macro default__date_part_int(part, expression) -%}
    {{ part }}({{ expression }})
{%- endmacro %}

{% macro postgres__date_part_int(part, expression) -%}
    cast(extract({{ part }} from {{ expression }}) as integer)
{%- endmacro %}

{#- An interval of `count` `unit`s (unit in the plural: days, months). -#}
{% macro interval_of(count, unit) -%}
    {{ return(adapter.dispatch('interval_of', 'hiring_signals')(count, unit)) }}
{%- endmacro %}

{% macro default__interval_of(count, unit) -%}
    interval {{ count }} {{ unit }}
{%- endmacro %}

{% macro postgres__interval_of(count, unit) -%}
    interval '{{ count }} {{ unit }}'
{%- endmacro %}

{#- generate_series over dates: one row per `step` (e.g. '1 day') from start to stop,
    both included, as timestamps (cast to date where a date is wanted). -#}
{% macro date_series(start, stop, step) -%}
    {{ return(adapter.dispatch('date_series', 'hiring_signals')(start, stop, step)) }}
{%- endmacro %}

{% macro default__date_series(start, stop, step) -%}
    generate_series({{ start }}, {{ stop }}, interval {{ step }})
{%- endmacro %}

{% macro postgres__date_series(start, stop, step) -%}
    generate_series(cast({{ start }} as timestamp), cast({{ stop }} as timestamp), interval '{{ step }}')
{%- endmacro %}
