-- A Wilson interval of a share lies inside [0, 1] and around the share (float error
-- aside): a bound outside says the interval was computed from the wrong k or n.
{%- set checks = [
    ('fct_classifier_evaluation', 'precision_rate', 'precision_ci_low', 'precision_ci_high'),
    ('fct_classifier_evaluation', 'recall_rate', 'recall_ci_low', 'recall_ci_high'),
    ('fct_ml_hiring_monthly', 'ml_share', 'ml_share_ci_low', 'ml_share_ci_high'),
    ('fct_ml_hiring_monthly', 'llm_share', 'llm_share_ci_low', 'llm_share_ci_high'),
    ('fct_skill_trends_monthly', 'share_of_postings', 'share_ci_low', 'share_ci_high'),
] %}
{% for model, share, low, high in checks %}
    {%- if not loop.first %}
        union all
    {% endif %}
    select
        '{{ model }}.{{ share }}' as share_column,
        {{ share }} as share,
        {{ low }} as ci_low,
        {{ high }} as ci_high
    from {{ ref(model) }}
    where
        {{ low }} < -1e-9
        or {{ high }} > 1 + 1e-9
        or {{ share }} < {{ low }} - 1e-9
        or {{ share }} > {{ high }} + 1e-9
{%- endfor %}
