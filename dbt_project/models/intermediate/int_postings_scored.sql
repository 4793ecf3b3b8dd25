-- The learned classifier: a logistic regression per label over the features of
-- int_posting_features, its weights the seed `ml_classifier_weights` (micro-units,
-- integers, so a score is an exact sum in any order; the decision threshold is folded
-- into the intercept: flagged when the score is above 0). Deep learning and LLM need
-- is_ml. Trained and measured as docs/classifier_training.md says.
-- n_roles counts the roles the title lists (split at , ; & "and" "or"), n_ml_roles
-- those that name ML work; a posting flagged ML has at least one ML role (one named in
-- its text when the title names none).
-- Once built, only the postings whose rule classification changed since this model last
-- ran are scored again (their `_loaded_at` passes through).
{{
    config(
        materialized=incremental_or_table(),
        unique_key='posting_id',
        incremental_strategy='delete+insert'
    )
}}
with

postings as (
    select * from {{ ref('int_postings_classified') }}
    {%- if is_incremental() %}
        where _loaded_at > {{ last_run_of_this() }}
    {%- endif %}
),

features as (
    select * from {{ ref('int_posting_features') }}
    {%- if is_incremental() %}
        where posting_id in (select postings.posting_id from postings)
    {%- endif %}
),

weights as (
    select * from {{ ref('ml_classifier_weights') }}
),

points as (
    select
        features.posting_id,
        sum(weights.is_ml) as ml_points,
        sum(weights.is_deep_learning) as deep_learning_points,
        sum(weights.is_llm) as llm_points
    from features
    inner join weights on features.feature = weights.feature
    group by features.posting_id
),

intercepts as (
    select
        is_ml as ml_points,
        is_deep_learning as deep_learning_points,
        is_llm as llm_points
    from weights
    where feature = '(intercept)'
),

title_roles as (
    select
        posting_id,
        count(*) filter (where trim(title_role) != '') as n_roles,
        count(*) filter (
            where {{ regexp('matches') }}(
                title_role,
                {{ ml_role_title_pattern() }},
                'i'
            )
        ) as n_ml_roles
    from (
        select
            posting_id,
            unnest(
                {{ regexp('split_to_array') }}(
                    coalesce(title_text, ''), '\s*[,;&]\s*|\s+and\s+|\s+or\s+'
                )
            ) as title_role
        from postings
    ) as split_titles
    group by posting_id
),

scored as (
    select
        postings.posting_id,
        postings._loaded_at,
        coalesce(points.ml_points, 0) + intercepts.ml_points > 0 as is_ml,
        coalesce(points.deep_learning_points, 0) + intercepts.deep_learning_points > 0
            as deep_learning_points_positive,
        coalesce(points.llm_points, 0) + intercepts.llm_points > 0 as llm_points_positive,
        postings.is_ml as rule_is_ml,
        postings.is_deep_learning as rule_is_deep_learning,
        postings.is_llm as rule_is_llm,
        coalesce(title_roles.n_roles, 0) as title_roles,
        coalesce(title_roles.n_ml_roles, 0) as title_ml_roles
    from postings
    cross join intercepts
    left join points on postings.posting_id = points.posting_id
    left join title_roles on postings.posting_id = title_roles.posting_id
)

select
    posting_id,
    is_ml,
    is_ml and deep_learning_points_positive as is_deep_learning,
    is_ml and llm_points_positive as is_llm,
    rule_is_ml,
    rule_is_deep_learning,
    rule_is_llm,
    case when is_ml then greatest(title_ml_roles, 1) else 0 end as n_ml_roles,
    greatest(title_roles, case when is_ml then greatest(title_ml_roles, 1) else 0 end, 1)
        as n_roles,
    _loaded_at
from scored
