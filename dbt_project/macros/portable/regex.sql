{#- Regular expressions on DuckDB and Postgres. Patterns are written for RE2 (DuckDB's
    engine) and translated for Postgres by hs_re2_to_are (postgres_functions.sql, which
    lists what is translated).

    Literal patterns stay plain SQL in the models: the macro only names the function,
    `{{ regexp('matches') }}(title, '\bml\b', 'i')`, which is DuckDB's
    `regexp_matches(...)` and, on Postgres, a SQL function with DuckDB's signature and
    semantics (inlined by the planner, its pattern translated once per query). Passing
    a pattern through a macro argument instead would make Jinja read its backslashes
    (\b is a backspace to Jinja too).

    The patterns of the seeds ml_taxonomy and location_countries are written into the
    SQL as constants (macro seed_rows) and called the same way; on Postgres the planner
    translates a constant pattern once. Patterns joined from a table (the seed
    social_signal_terms) are translated once per row by prepare_regex() in the CTE that
    reads the table, then used with regexp_matches_prepared(); give both the same
    options. -#}

{#- regexp('matches' | 'full_match' | 'replace' | 'extract' | 'extract_all'
    | 'split_to_array'): the name of the function to call. -#}
{% macro regexp(function_name) -%}
    {{ return(adapter.dispatch('regexp', 'hiring_signals')(function_name)) }}
{%- endmacro %}

{% macro default__regexp(function_name) -%}
    regexp_{{ function_name }}
{%- endmacro %}

{% macro postgres__regexp(function_name) -%}
    {%- set known = ['matches', 'full_match', 'replace', 'extract', 'extract_all',
        'split_to_array'] -%}
    {%- if function_name not in known -%}
        {{ exceptions.raise_compiler_error("regexp(): no Postgres version of regexp_" ~ function_name) }}
    {%- endif -%}
    {{ portable_schema() }}.hs_regexp_{{ function_name }}
{%- endmacro %}

{#- A pattern column ready for the *_prepared macros (unchanged on DuckDB). -#}
{% macro prepare_regex(pattern, options) -%}
    {{ return(adapter.dispatch('prepare_regex', 'hiring_signals')(pattern, options)) }}
{%- endmacro %}

{% macro default__prepare_regex(pattern, options) -%}
    {{ pattern }}
{%- endmacro %}

{% macro postgres__prepare_regex(pattern, options) -%}
    {{ portable_schema() }}.hs_regex_prepare({{ pattern }}, '{{ options }}')
{%- endmacro %}

{#- Whether `string` matches a prepared pattern. -#}
{% macro regexp_matches_prepared(string, pattern, options) -%}
    {{ return(adapter.dispatch('regexp_matches_prepared', 'hiring_signals')(string, pattern, options)) }}
{%- endmacro %}

{% macro default__regexp_matches_prepared(string, pattern, options) -%}
    regexp_matches({{ string }}, {{ pattern }}, '{{ options }}')
{%- endmacro %}

{% macro postgres__regexp_matches_prepared(string, pattern, options) -%}
    ({{ string }} collate "C") ~ {{ pattern }}
{%- endmacro %}

{#- How many characters precede the first match of a constant pattern (a seed's value
    as a Jinja string, written in as a literal). DuckDB: the length of the shortest
    prefix before a match; Postgres: regexp_instr's start of the match, minus one
    (Postgres gives a whole expression the greediness of its first quantifier, so a
    lazy prefix there is not a safe translation). -#}
{% macro regexp_match_offset(string, pattern, options) -%}
    {{ return(adapter.dispatch('regexp_match_offset', 'hiring_signals')(string, pattern, options)) }}
{%- endmacro %}

{% macro default__regexp_match_offset(string, pattern, options) -%}
    length(regexp_extract(
        {{ string }}, {{ sql_string('(?s)^(.*?)(' ~ pattern ~ ')') }}, 1, '{{ options }}'
    ))
{%- endmacro %}

{% macro postgres__regexp_match_offset(string, pattern, options) -%}
    case when {{ string }} is not null then greatest(
        regexp_instr(
            {{ string }} collate "C",
            {{ portable_schema() }}.hs_re2_to_are({{ sql_string(pattern) }}, '{{ options }}')
        ) - 1,
        0
    ) end
{%- endmacro %}
