{#- A role title that names ML work (for counting the ML roles a title lists). -#}
{% macro ml_role_title_pattern() -%}
    '(machine learning|\bml\b|\bai\b|artificial intelligence|deep learning|data scien|computer vision|\bnlp\b|\bllms?\b|mlops|research scien|applied scien|perception)'
{%- endmacro %}
