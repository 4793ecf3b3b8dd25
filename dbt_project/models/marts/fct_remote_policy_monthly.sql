-- Month x source x ingest method x ML flag x remote policy: postings. Small enough that
-- remote / hybrid / onsite shares by year or month read it instead of every posting.
-- Null flags and policies stay groups of their own, so a share can leave out unknown
-- policies exactly as an average over the postings would.
with

postings as (
    select * from {{ ref('fct_job_postings') }}
),

final as (
    select
        posting_month,
        source_name,
        ingest_method,
        is_ml,
        remote_policy,
        count(*) as postings
    from postings
    group by posting_month, source_name, ingest_method, is_ml, remote_policy
)

select * from final
