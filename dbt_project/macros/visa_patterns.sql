{#- Regular expressions (RE2, matched case-insensitively) for what a posting says about visa
    sponsorship, written one alternative a line (joined with '|'; no literal spaces, use
    \s). A refusal anywhere in the header or text wins over an offer: a posting that says
    both ("H1B welcome" for one role, "no visa sponsorship" for another) is read as not
    offering it. The gaps between words stop at sentence and segment punctuation, so
    "no" or "not" must be in the same clause as "visa" / "sponsor". -#}

{% macro visa_refused_pattern() -%}
{%- set alternatives -%}
{# "No visa", "ONSITE NO-VISA", "no relocation and/or visa support", "No sponsorship" #}
\bno\b[^.;|,()\n]{0,30}\b(visas?|sponsor\w*)\b
{# "We can't / cannot / are not able to sponsor", "not eligible for visa sponsorship" #}
(\bnot\b|n[''’]t\b|\bunable\b|\bcannot\b)[^.;|\n]{0,30}\bsponsor
{# "Visa Sponsorship Is not provided", "sponsorship / remote is not" #}
\bsponsor\w*[^.;|\n]{0,30}\b(is|are)\s+not\b
{# "Visa/relocation: No" #}
\bvisas?\b[^.;|\n]{0,20}:\s*no\b
{# "U.S. citizenship required", "US citizens only" ("U.S." does not end the clause) #}
\bcitizens?(hip)?\b(u\.s\.|[^.;|\n]){0,40}\b(only|required)\b
{# "This role requires German/European citizenship" #}
\brequires?\b[^.;|\n]{0,30}\bcitizenship\b
{# "Applicants must be authorized to work", "Must be US-based or have US work authorization" #}
\bmust\b[^.;|\n]{0,40}\bauthori[sz](ed|ation)\b
{# "US work authorization required", "(US Work Auth required)" #}
\bwork\sauth(ori[sz]ation)?\b[^.;|\n]{0,15}\brequired\b
{%- endset -%}
'{{ alternatives.split() | join("|") }}'
{%- endmacro %}

{#- In the body text a bare "visa" is too loose ("payment cards across Visa, Mastercard"),
    so an offer there needs a phrase about sponsoring. -#}
{% macro visa_offered_pattern() -%}
{%- set alternatives -%}
\bvisa\ssponsorships?\b
{# "we sponsor visas", "will sponsor any visa" #}
\bsponsor(s|ing)?\s+(your\s+|a\s+|any\s+|the\s+|work\s+)?visas?\b
\bwill\ssponsor\b
\bh-?1-?b\b
\bvisa\s(support|assistance|transfers?)\b
{# "Sponsorship available" #}
\bsponsorship\b[^.;|\n]{0,20}\b(available|offered|possible|provided)\b
{%- endset -%}
'{{ alternatives.split() | join("|") }}'
{%- endmacro %}

{#- In the first line of an HN comment a segment that names a visa is an offer
    ("VISA SPONSORSHIP", "VISA possible", "H1B Transfer OK") unless it refuses one. -#}
{% macro visa_header_pattern() -%}
'\b(visas?|sponsorship|sponsor|h-?1-?b)\b'
{%- endmacro %}
