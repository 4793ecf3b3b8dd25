-- How well the classifiers agree with the hand-labelled evaluation set (seed
-- `evaluation_labels`, docs/labeling.md): per classifier (`posting`, `title`), label
-- (is_ml, is_deep_learning, is_llm), split (tune, holdout, all) and ingest method (each
-- one, and `all`), the confusion counts, precision and recall with 95% Wilson
-- intervals. The holdout split was never looked at while tuning the taxonomy.
with

labels as (
    select * from {{ ref('evaluation_labels') }}
),

postings as (
    select * from {{ ref('int_postings_classified') }}
),

judged as (
    select
        labels.split,
        postings.ingest_method,
        flags.classifier,
        flags.label,
        flags.predicted,
        flags.actual
    from labels
    inner join postings on labels.posting_id = postings.posting_id
    cross join lateral (
        values
        ('posting', 'is_ml', postings.is_ml, labels.is_ml = 1),
        ('posting', 'is_deep_learning', postings.is_deep_learning, labels.is_deep_learning = 1),
        ('posting', 'is_llm', postings.is_llm, labels.is_llm = 1),
        ('title', 'is_ml', postings.title_is_ml, labels.is_ml = 1),
        ('title', 'is_deep_learning', postings.title_is_deep_learning, labels.is_deep_learning = 1),
        ('title', 'is_llm', postings.title_is_llm, labels.is_llm = 1)
    ) as flags (classifier, label, predicted, actual)
),

-- Every judgement counts for its own split and ingest method and for the `all` rows.
expanded as (
    select
        judged.classifier,
        judged.label,
        splits.split,
        methods.ingest_method,
        judged.predicted,
        judged.actual
    from judged
    cross join lateral (values (judged.split), ('all')) as splits (split)
    cross join lateral (values (judged.ingest_method), ('all')) as methods (ingest_method)
),

counted as (
    select
        classifier,
        label,
        split,
        ingest_method,
        count(*) as labelled,
        count(*) filter (where predicted and actual) as true_positives,
        count(*) filter (where predicted and not actual) as false_positives,
        count(*) filter (where not predicted and actual) as false_negatives
    from expanded
    group by classifier, label, split, ingest_method
),

final as (
    select
        classifier,
        label,
        split,
        ingest_method,
        labelled,
        true_positives,
        false_positives,
        false_negatives,
        true_positives::{{ type_double() }} / nullif(true_positives + false_positives, 0)
            as precision_rate,
        {{ wilson_bound('true_positives', 'true_positives + false_positives', 'low') }}
            as precision_ci_low,
        {{ wilson_bound('true_positives', 'true_positives + false_positives', 'high') }}
            as precision_ci_high,
        true_positives::{{ type_double() }} / nullif(true_positives + false_negatives, 0)
            as recall_rate,
        {{ wilson_bound('true_positives', 'true_positives + false_negatives', 'low') }}
            as recall_ci_low,
        {{ wilson_bound('true_positives', 'true_positives + false_negatives', 'high') }}
            as recall_ci_high
    from counted
)

select * from final
