-- Month x source: postings, reposts of an earlier posting (same company and title within
-- 90 days, any source) and the duplicate rate.
with

postings as (
    select * from {{ ref('fct_job_postings') }}
),

final as (
    select
        posting_month,
        source_name,
        ingest_method,
        count(*) as postings,
        count(*) filter (where is_repost) as reposts,
        count(*) filter (where is_repost)::{{ type_double() }} / count(*) as duplicate_rate
    from postings
    group by posting_month, source_name, ingest_method
)

select * from final
