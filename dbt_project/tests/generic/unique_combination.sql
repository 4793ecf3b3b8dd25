{#- Fails for every combination of `columns` that occurs more than once
    (written here because dbt hub packages cannot be downloaded on our machines). -#}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
