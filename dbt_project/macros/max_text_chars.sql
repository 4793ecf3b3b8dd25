{#- Longest posting text the models read; longer texts are cut (see int_postings_unioned). -#}
{% macro max_text_chars() -%}
100000
{%- endmacro %}
