{#- Regular expressions (RE2, matched case-insensitively) that recognise the segments of
    the conventional first line "Company | Role | Location | REMOTE | Salary". -#}

{% macro remote_pattern() -%}
'\b(remote|on-?site|in[- ]office|in[- ]person|hybrid)\b'
{%- endmacro %}

{% macro salary_pattern() -%}
'([$€£¥]\s?\d|\b\d{2,3}(\.\d+)?\s?k\b|\b(usd|eur|gbp|cad|salary|equity)\b)'
{%- endmacro %}

{% macro visa_pattern() -%}
'\b(visa|sponsorship)\b'
{%- endmacro %}

{% macro role_pattern() -%}
'(engineer|developer|scientist|designer|manager|\blead\b|architect|analyst|researcher|\bsre\b|devops|founding|head of|director|intern\b|programmer|specialist|consultant|administrator|recruiter|\bcto\b|\bvp\b|product|marketing|sales|account exec|writer|technician|full[- ]?stack|front[- ]?end|back[- ]?end|\bios\b|android|roles|positions|hiring|swe\b)'
{%- endmacro %}

{% macro url_pattern() -%}
'(https?://\S+|www\.\S+|\b[a-z0-9-]+(\.[a-z0-9-]+)*\.(ai|com|io|co|dev|org|net|app|tech|so|xyz|bio|health)\b\S*)'
{%- endmacro %}
