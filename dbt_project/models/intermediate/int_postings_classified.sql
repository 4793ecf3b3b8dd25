-- Flags every posting as ML / deep learning / LLM from the taxonomy terms it matched.
-- The posting classifier (is_ml, is_deep_learning, is_llm) reads everything a posting
-- has: it is ML when its title matches any ML term or its text names an ML role (kind
-- 'role': "we are hiring ML engineers"); deep learning when it is ML and any deep
-- learning term appears; LLM when it is ML and an LLM term appears in the title, names
-- the role ("Agent Engineers") or sits in a sentence about the job. A term also counts
-- for the family in its `also_counts_for` (generative image models: deep learning and
-- generative AI). The title-only flags (title_is_*) use the one field every
-- ingest method has, for comparisons across methods. Precision and recall of both are
-- measured against evaluation/labels.csv.
-- Once built, only the postings changed since this model last ran are classified again
-- (their `_loaded_at`, when their content last changed, passes through).
{{
    config(
        materialized=incremental_or_table(),
        unique_key='posting_id',
        incremental_strategy='delete+insert'
    )
}}
with

postings as (
    select * from {{ ref('int_postings_unioned') }}
    {%- if is_incremental() %}
        where _loaded_at > {{ last_run_of_this() }}
    {%- endif %}
),

matches as (
    select * from {{ ref('int_posting_terms_matched') }}
    {%- if is_incremental() %}
        where posting_id in (select postings.posting_id from postings)
    {%- endif %}
),

flags as (
    select
        posting_id,
        bool_or(text_scope = 'title' and family in ('ml', 'deep_learning', 'llm', 'data_science'))
            as title_is_ml,
        bool_or(text_scope = 'title' and 'deep_learning' in (family, also_counts_for))
            as title_mentions_deep_learning,
        bool_or(text_scope = 'title' and 'llm' in (family, also_counts_for))
            as title_mentions_llm,
        bool_or(text_scope = 'title' and family = 'data_science') as title_is_data_science,
        bool_or(text_scope = 'title' and family = 'data') as title_is_data,
        bool_or(
            text_scope = 'text'
            and kind = 'role'
            and family in ('ml', 'deep_learning', 'llm', 'data_science')
        ) as text_names_ml_role,
        bool_or(text_scope = 'text' and kind = 'role' and family = 'data_science')
            as text_names_data_science_role,
        bool_or('deep_learning' in (family, also_counts_for)) as mentions_deep_learning,
        bool_or(
            also_counts_for = 'llm'
            or (family = 'llm' and (text_scope = 'title' or kind = 'role' or in_duty_sentence))
        ) as mentions_llm_duty,
        string_agg(distinct term, ', ' order by term) filter (where text_scope = 'title')
            as title_terms,
        string_agg(distinct term, ', ' order by term) filter (where text_scope = 'text')
            as text_terms
    from matches
    group by posting_id
),

classified as (
    select
        postings.*,
        coalesce(flags.title_is_ml or flags.text_names_ml_role, false) as is_ml,
        coalesce(
            (flags.title_is_ml or flags.text_names_ml_role) and flags.mentions_deep_learning,
            false
        ) as is_deep_learning,
        coalesce(
            (flags.title_is_ml or flags.text_names_ml_role) and flags.mentions_llm_duty, false
        ) as is_llm,
        coalesce(flags.title_is_ml, false) as title_is_ml,
        coalesce(flags.title_mentions_deep_learning, false) as title_is_deep_learning,
        coalesce(flags.title_mentions_llm, false) as title_is_llm,
        case
            when flags.title_is_ml and not flags.title_is_data_science then 'machine_learning'
            when flags.title_is_data_science then 'data_science'
            when flags.text_names_ml_role and not flags.text_names_data_science_role
                then 'machine_learning'
            when flags.text_names_data_science_role then 'data_science'
            when flags.title_is_data then 'data_engineering_analytics'
            when {{ regexp('matches') }}(
                    postings.title_text,
                    '(engineer|developer|programmer|\bswe\b|\bsre\b|devops|architect)', 'i'
                ) then 'software_engineering'
            else 'other'
        end as role_family,
        flags.title_terms,
        flags.text_terms
    from postings
    left join flags on postings.posting_id = flags.posting_id
)

select * from classified
