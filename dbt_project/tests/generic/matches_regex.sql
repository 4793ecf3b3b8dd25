{#- Fails for every non-null value of `column_name` that does not match `pattern` (RE2)
    as a whole, e.g. a country code that is not two capital letters. -#}
{% test matches_regex(model, column_name, pattern) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} is not null
    and not {{ regexp('full_match') }}({{ column_name }}, '{{ pattern }}')
{% endtest %}
