-- One row per job board posting: when it was first and last seen open, and when it
-- closed (the first look at its board after it was last seen that no longer showed it).
-- Postings opened per month are the hiring flow; open postings per day the stock.
with

observations as (
    select * from {{ ref('int_ats_observations') }}
),

jobs as (
    select * from {{ ref('int_ats_jobs_unioned') }}
),

sightings as (
    select
        jobs.source_name,
        jobs.board,
        jobs.job_id,
        observations.observed_on
    from observations
    inner join jobs
        on
            observations.source_name = jobs.source_name
            and observations.snapshot_batch_id = jobs.batch_id
),

spans as (
    select
        source_name,
        board,
        job_id,
        min(observed_on) as first_seen_on,
        max(observed_on) as last_seen_on
    from sightings
    group by source_name, board, job_id
),

closings as (
    select
        spans.source_name,
        spans.board,
        spans.job_id,
        min(observations.observed_on) as closed_on
    from spans
    inner join observations
        on
            spans.source_name = observations.source_name
            and spans.board = observations.board
            and spans.last_seen_on < observations.observed_on
    group by spans.source_name, spans.board, spans.job_id
),

-- Attributes as the newest snapshot showed them.
latest as (
    {{ first_row_per('jobs', 'source_name, board, job_id', 'batch_id desc nulls last') }}
),

final as (
    select
        latest.*,
        spans.first_seen_on,
        spans.last_seen_on,
        closings.closed_on
    from latest
    inner join spans
        on
            latest.source_name = spans.source_name
            and latest.board = spans.board
            and latest.job_id = spans.job_id
    left join closings
        on
            latest.source_name = closings.source_name
            and latest.board = closings.board
            and latest.job_id = closings.job_id
)

select * from final
