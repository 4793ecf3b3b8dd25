-- One row per labelled posting (seed evaluation_labels) found in the warehouse: how it
-- was drawn (design v3 of seed evaluation_sample, its stratum and weight = 1 / inclusion
-- probability; v1-only postings carry no weight), its hand labels and what each
-- classifier says: the learned posting classifier (`posting_*`, the published flags),
-- the taxonomy rules (`rule_*`) and the title alone (`title_*`). Read by
-- fct_classifier_evaluation, fct_ml_share_estimates and the answer.
with

labels as (
    select * from {{ ref('evaluation_labels') }}
),

sample as (
    select * from {{ ref('evaluation_sample') }}
),

classified as (
    select * from {{ ref('int_postings_classified') }}
),

scored as (
    select * from {{ ref('int_postings_scored') }}
)

select
    labels.posting_id,
    classified.posting_month,
    cast(extract(year from classified.posting_month) as integer) as posting_year,
    labels.split,
    labels.label_source,
    sample.posting_id is not null as in_design,
    sample.in_srs,
    sample.posting_year || '/' || sample.rule_class as stratum,
    sample.inclusion_probability,
    1.0 / sample.inclusion_probability as weight,
    labels.is_ml = 1 as actual_ml,
    labels.is_deep_learning = 1 as actual_deep_learning,
    labels.is_llm = 1 as actual_llm,
    labels.n_roles as actual_n_roles,
    labels.n_ml_roles as actual_n_ml_roles,
    scored.is_ml as predicted_ml,
    scored.is_deep_learning as predicted_deep_learning,
    scored.is_llm as predicted_llm,
    scored.n_roles as predicted_n_roles,
    scored.n_ml_roles as predicted_n_ml_roles,
    scored.rule_is_ml as rule_ml,
    scored.rule_is_deep_learning as rule_deep_learning,
    scored.rule_is_llm as rule_llm,
    classified.title_is_ml as title_ml,
    classified.title_is_deep_learning as title_deep_learning,
    classified.title_is_llm as title_llm
from labels
inner join classified on labels.posting_id = classified.posting_id
inner join scored on labels.posting_id = scored.posting_id
left join sample on labels.posting_id = sample.posting_id
