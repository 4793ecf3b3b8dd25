-- The features the learned classifier scores (seed `ml_classifier_weights`, trained by
-- `hiring-signals train-classifier`): the distinct words of the text (`w:`) and of the
-- title (`t:`), the taxonomy terms matched in each (`tt:`, `xt:`), and the rule
-- classifier's flags (`r:`). A word is a lower-case run of a-z, 0-9, + and # (c++ and
-- c# stay words). A view, so the training command and int_postings_scored read the
-- same features and nothing is stored per word. The words are split in
-- scan_partitions() branches so that both cores tokenise.
{{ config(materialized='view') }}
with

postings as (
    select * from {{ ref('int_postings_classified') }}
),

matches as (
    select * from {{ ref('int_posting_terms_matched') }}
),

words as (
    {%- for part in range(scan_partitions()) %}
        select
            posting_id,
            'w:' as feature_prefix,
            unnest({{ split_to_list(words_of('full_text'), "' '") }}) as word
        from postings
        where {{ partition_filter('posting_id', part) }}
        union all
        select
            posting_id,
            't:' as feature_prefix,
            unnest({{ split_to_list(words_of('title_text'), "' '") }}) as word
        from postings
        where {{ partition_filter('posting_id', part) }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

rule_flags as (
    select
        postings.posting_id,
        flags.feature
    from postings
    cross join
        lateral (
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

-- The prefixes keep the three parts apart, so only each part needs `distinct`.
select distinct
    posting_id,
    feature_prefix || word as feature
from words
where word != ''
union all
select distinct
    posting_id,
    case when text_scope = 'title' then 'tt:' else 'xt:' end || term as feature
from matches
union all
select
    posting_id,
    feature
from rule_flags
