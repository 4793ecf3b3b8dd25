{#- Lower-case words only: punctuation, URLs and legal-form suffixes removed, so that
    "Acme, Inc." and "ACME inc" compare equal. -#}
{% macro normalize_company(column) -%}
    nullif(trim({{ regexp('replace') }}(
        {{ regexp('replace') }}(
            {{ regexp('replace') }}(lower({{ column }}), '(https?://|www\.)\S*', ' ', 'g'),
            '[^a-z0-9]+', ' ', 'g'
        ),
        '\b(inc|incorporated|llc|ltd|limited|gmbh|corp|corporation|co|company|plc|sa|ag|bv)\b',
        ' ', 'g'
    )), '')
{%- endmacro %}

{#- A job title reduced to its lower-case words, single-spaced. -#}
{% macro normalize_title(column) -%}
    nullif(trim({{ regexp('replace') }}(lower({{ column }}), '[^a-z0-9+#]+', ' ', 'g')), '')
{%- endmacro %}
