-- A job board posting is first seen, last seen, then closed, in that order: returns the
-- postings whose dates are not.
with

postings as (
    select * from {{ ref('fct_job_postings') }}
    where ingest_method = 'ats_snapshot'
),

final as (
    select
        posting_id,
        first_seen_on,
        last_seen_on,
        closed_on
    from postings
    where
        first_seen_on is null
        or last_seen_on < first_seen_on
        or closed_on <= last_seen_on
)

select * from final
