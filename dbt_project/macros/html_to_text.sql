{#- Plain text of an HTML fragment: tags dropped, the common entities decoded (first
    once for sources that escape their HTML, as Greenhouse does). Good enough for
    pattern matching; the original HTML is kept beside it. -#}
{% macro html_to_text(column) -%}
    trim({{ regexp('replace') }}(
        replace(replace(replace(replace(replace(
            {{ regexp('replace') }}(
                replace(replace(replace(replace(replace(
                    {{ column }}, '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''),
                    '&amp;', '&'),
                '<[^>]+>', ' ', 'g'
            ), '&nbsp;', ' '), '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&amp;', '&'),
        '\s+', ' ', 'g'
    ))
{%- endmacro %}
