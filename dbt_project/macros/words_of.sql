{#- A text as its words (lower-case runs of a-z, 0-9, + and #) separated by single
    spaces, for split_to_list: faster than splitting on the pattern itself. -#}
{% macro words_of(column) -%}
    {{ regexp('replace') }}(lower(coalesce({{ column }}, '')), '[^a-z0-9+#]+', ' ', 'g')
{%- endmacro %}
