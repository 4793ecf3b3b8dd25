-- The features the learned classifier scores (seed `ml_classifier_weights`, trained by
-- `hiring-signals train-classifier`): the distinct words of the text (`w:`) and of the
-- title (`t:`), the taxonomy terms matched in each (`tt:`, `xt:`), and the rule
-- classifier's flags (`r:`). A word is a lower-case run of a-z, 0-9, + and # (c++ and
-- c# stay words). A view, so the training command and int_postings_scored read the
-- same features and nothing is stored per word.
{{ config(materialized='view') }}
with

postings as (
    select * from {{ ref('int_postings_classified') }}
),

matches as (
    select * from {{ ref('int_posting_terms_matched') }}
),

words as (
    select
        posting_id,
        'w:' as prefix,
        unnest({{ regexp('split_to_array') }}(lower(coalesce(full_text, '')), '[^a-z0-9+#]+')) as word
    from postings
    union all
    select
        posting_id,
        't:' as prefix,
        unnest({{ regexp('split_to_array') }}(lower(coalesce(title_text, '')), '[^a-z0-9+#]+')) as word
    from postings
),

rule_flags as (
    select
        postings.posting_id,
        flags.feature
    from postings
    cross join lateral (
        values
        ('r:is_ml', postings.is_ml),
        ('r:is_deep_learning', postings.is_deep_learning),
        ('r:is_llm', postings.is_llm),
        ('r:title_is_ml', postings.title_is_ml),
        ('r:title_is_deep_learning', postings.title_is_deep_learning),
        ('r:title_is_llm', postings.title_is_llm)
    ) as flags (feature, flagged)
    where flags.flagged
)

select distinct
    posting_id,
    prefix || word as feature
from words
where word != ''
union
select distinct
    posting_id,
    case when text_scope = 'title' then 'tt:' else 'xt:' end || term as feature
from matches
union
select
    posting_id,
    feature
from rule_flags
