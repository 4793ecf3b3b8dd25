{#- Words that make a sentence about the job rather than about the company: an LLM term
    counts for the LLM flag only in such a sentence ("you will build RAG pipelines", not
    "we are an LLM company"). Measured on the evaluation set's tune split. -#}
{% macro duty_cue_pattern() -%}
'\b(you([''’]ll| will| would)|responsib\w*|experience (with|in)|build\w*|work(ing)? on|ship\w*|develop\w*|train\w*|fine-?tun\w*|evaluat\w*|deploy\w*)\b'
{%- endmacro %}
