{#- Query shapes and list functions DuckDB has and Postgres spells differently. -#}

{#- The first row of every group: `columns` of `relation` where row_number() over
    (partition by `partition_by` order by `order_by`) = 1. DuckDB filters with
    QUALIFY, Postgres keeps the first row with DISTINCT ON. Write the order in full
    (`x desc nulls last`): DuckDB puts nulls last by default in both directions,
    Postgres puts them first in a descending order. -#}
{% macro first_row_per(relation, partition_by, order_by, columns='*') -%}
    {{ return(adapter.dispatch('first_row_per', 'hiring_signals')(relation, partition_by, order_by, columns)) }}
{%- endmacro %}

{% macro default__first_row_per(relation, partition_by, order_by, columns) -%}
    select {{ columns }}
    from {{ relation }}
    qualify row_number() over (partition by {{ partition_by }} order by {{ order_by }}) = 1
{%- endmacro %}

{% macro postgres__first_row_per(relation, partition_by, order_by, columns) -%}
    select distinct on ({{ partition_by }}) {{ columns }}
    from {{ relation }}
    order by {{ partition_by }}, {{ order_by }}
{%- endmacro %}

{#- any_value(x): a value of the group (Postgres 15 has no any_value; min is one). -#}
{% macro any_value_of(expression) -%}
    {{ return(adapter.dispatch('any_value_of', 'hiring_signals')(expression)) }}
{%- endmacro %}

{% macro default__any_value_of(expression) -%}
    any_value({{ expression }})
{%- endmacro %}

{% macro postgres__any_value_of(expression) -%}
    min({{ expression }})
{%- endmacro %}

{#- last_value(x ignore nulls) over (`window`): Postgres has no IGNORE NULLS; the last
    element of the array of the window's non-null values is the same value. -#}
{% macro last_value_ignore_nulls(expression, window) -%}
    {{ return(adapter.dispatch('last_value_ignore_nulls', 'hiring_signals')(expression, window)) }}
{%- endmacro %}

{% macro default__last_value_ignore_nulls(expression, window) -%}
    last_value({{ expression }} ignore nulls) over ({{ window }})
{%- endmacro %}

{% macro postgres__last_value_ignore_nulls(expression, window) -%}
    (array_agg({{ expression }}) filter (where {{ expression }} is not null) over ({{ window }}))
    [count({{ expression }}) over ({{ window }})]
{%- endmacro %}

{#- string_split(text, delimiter): the pieces of a text as a list / array. -#}
{% macro split_to_list(expression, delimiter) -%}
    {{ return(adapter.dispatch('split_to_list', 'hiring_signals')(expression, delimiter)) }}
{%- endmacro %}

{% macro default__split_to_list(expression, delimiter) -%}
    string_split({{ expression }}, {{ delimiter }})
{%- endmacro %}

{% macro postgres__split_to_list(expression, delimiter) -%}
    string_to_array({{ expression }}, {{ delimiter }})
{%- endmacro %}

{#- len(list): the number of elements of a list / array. -#}
{% macro list_length(expression) -%}
    {{ return(adapter.dispatch('list_length', 'hiring_signals')(expression)) }}
{%- endmacro %}

{% macro default__list_length(expression) -%}
    len({{ expression }})
{%- endmacro %}

{% macro postgres__list_length(expression) -%}
    cardinality({{ expression }})
{%- endmacro %}

{#- list_contains(list, value). -#}
{% macro list_contains_value(list, value) -%}
    {{ return(adapter.dispatch('list_contains_value', 'hiring_signals')(list, value)) }}
{%- endmacro %}

{% macro default__list_contains_value(list, value) -%}
    list_contains({{ list }}, {{ value }})
{%- endmacro %}

{% macro postgres__list_contains_value(list, value) -%}
    ({{ value }} = any({{ list }}))
{%- endmacro %}

{#- arg_min(value, (order_by)): the value of the group's first row in the order
    `order_by` (a comma-separated list of columns, ascending). Postgres has no arg_min:
    the first element of the values aggregated in that order is the same value. -#}
{% macro arg_min_by(value, order_by) -%}
    {{ return(adapter.dispatch('arg_min_by', 'hiring_signals')(value, order_by)) }}
{%- endmacro %}

{% macro default__arg_min_by(value, order_by) -%}
    arg_min({{ value }}, ({{ order_by }}))
{%- endmacro %}

{% macro postgres__arg_min_by(value, order_by) -%}
    (array_agg({{ value }} order by {{ order_by }}))[1]
{%- endmacro %}

{#- The continuous (interpolated) quantile `fraction` of a numeric column, as DuckDB's
    quantile_cont / median; Postgres spells it as an ordered-set aggregate. -#}
{% macro quantile_cont_of(expression, fraction) -%}
    {{ return(adapter.dispatch('quantile_cont_of', 'hiring_signals')(expression, fraction)) }}
{%- endmacro %}

{% macro default__quantile_cont_of(expression, fraction) -%}
    quantile_cont({{ expression }}, {{ fraction }})
{%- endmacro %}

{% macro postgres__quantile_cont_of(expression, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro %}

{#- DuckDB runs one thread per row group (122,880 rows), so a text-heavy scan of a
    smaller table runs on one core. scan_partitions() splits such a scan into
    `var('scan_partitions')` union branches by a hash of the key, each its own
    pipeline; partition_filter(key, i) keeps branch i's rows. Postgres: one branch. -#}
{% macro scan_partitions() -%}
    {{ return(adapter.dispatch('scan_partitions', 'hiring_signals')()) }}
{%- endmacro %}

{% macro default__scan_partitions() -%}
    {{ return(var('scan_partitions', 4) | int) }}
{%- endmacro %}

{% macro postgres__scan_partitions() -%}
    {{ return(1) }}
{%- endmacro %}

{% macro partition_filter(key, part) -%}
    {%- set parts = scan_partitions() -%}
    {%- if parts > 1 -%}
        hash({{ key }}) % {{ parts }} = {{ part }}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
