-- One row per distinct posting of every posting source, classified, traceable to its
-- landing batch and URL; job board postings also carry when they were seen open.
with

classified as (
    select * from {{ ref('int_postings_classified') }}
),

final as (
    select
        posting_id,
        comment_id,
        source_name,
        ingest_method,
        posting_month,
        posted_at,
        author,
        company,
        title_text,
        header_line,
        location_text,
        remote_policy,
        salary_text,
        mentions_visa,
        role_family,
        is_ml,
        is_deep_learning,
        is_llm,
        title_terms,
        text_is_ml,
        text_is_deep_learning,
        text_is_llm,
        text_terms,
        full_text,
        board,
        company_segment,
        first_seen_on,
        last_seen_on,
        closed_on,
        source_url,
        batch_id
    from classified
)

select * from final
