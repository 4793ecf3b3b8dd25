-- Flags every posting as ML / deep learning / LLM twice: on the title (every ingest
-- method has one, so the monthly series stays comparable) and on the full text (thread
-- comments and job boards; null for the archive), from the terms it matched.
with

postings as (
    select * from {{ ref('int_postings_unioned') }}
),

matches as (
    select * from {{ ref('int_posting_terms_matched') }}
),

flags as (
    select
        posting_id,
        text_scope,
        bool_or(family in ('ml', 'deep_learning', 'llm', 'data_science')) as is_ml,
        bool_or(family = 'deep_learning') as is_deep_learning,
        bool_or(family = 'llm') as is_llm,
        bool_or(family = 'data_science') as is_data_science,
        bool_or(family = 'data') as is_data,
        string_agg(distinct term, ', ' order by term) as matched_terms
    from matches
    group by posting_id, text_scope
),

title_flags as (
    select * from flags
    where text_scope = 'title'
),

text_flags as (
    select * from flags
    where text_scope = 'text'
),

classified as (
    select
        postings.*,
        coalesce(title_flags.is_ml, false) as is_ml,
        coalesce(title_flags.is_deep_learning, false) as is_deep_learning,
        coalesce(title_flags.is_llm, false) as is_llm,
        title_flags.matched_terms as title_terms,
        case
            when coalesce(title_flags.is_ml, false)
                and not coalesce(title_flags.is_data_science, false) then 'machine_learning'
            when coalesce(title_flags.is_data_science, false) then 'data_science'
            when coalesce(title_flags.is_data, false) then 'data_engineering_analytics'
            when regexp_matches(
                    postings.title_text,
                    '(engineer|developer|programmer|\bswe\b|\bsre\b|devops|architect)', 'i'
                ) then 'software_engineering'
            else 'other'
        end as role_family,
        -- Full-text flags are null where the method has no text (the archive).
        case when postings.full_text is not null
                then coalesce(text_flags.is_ml, false)
        end as text_is_ml,
        case when postings.full_text is not null
                then coalesce(text_flags.is_deep_learning, false)
        end as text_is_deep_learning,
        case when postings.full_text is not null
                then coalesce(text_flags.is_llm, false)
        end as text_is_llm,
        case when postings.full_text is not null then text_flags.matched_terms end as text_terms
    from postings
    left join title_flags on postings.posting_id = title_flags.posting_id
    left join text_flags on postings.posting_id = text_flags.posting_id
)

select * from classified
