-- Day x board: job board postings open that day (the stock), opened and closed that day
-- (the flow), ML among them. Days run from a board's first to its last observation.
with

postings as (
    select * from {{ ref('fct_job_postings') }}
    where ingest_method = 'ats_snapshot'
),

observations as (
    select * from {{ ref('int_ats_observations') }}
),

bounds as (
    select
        source_name,
        board,
        min(observed_on) as first_day,
        max(observed_on) as last_day
    from observations
    group by source_name, board
),

calendar as (
    select
        source_name,
        board,
        spine.day_start::date as snapshot_day
    from bounds,
        {{ date_series('first_day', 'last_day', '1 day') }} as spine (day_start)
),

final as (
    select
        calendar.snapshot_day,
        calendar.source_name,
        calendar.board,
        count(postings.posting_id) filter (
            where postings.first_seen_on <= calendar.snapshot_day
            and (postings.closed_on is null or postings.closed_on > calendar.snapshot_day)
        ) as open_postings,
        count(postings.posting_id) filter (
            where postings.is_ml and postings.first_seen_on <= calendar.snapshot_day
            and (postings.closed_on is null or postings.closed_on > calendar.snapshot_day)
        ) as open_ml_postings,
        count(postings.posting_id) filter (where postings.first_seen_on = calendar.snapshot_day)
            as opened_postings,
        count(postings.posting_id) filter (where postings.closed_on = calendar.snapshot_day)
            as closed_postings
    from calendar
    left join postings
        on calendar.source_name = postings.source_name and calendar.board = postings.board
    group by calendar.snapshot_day, calendar.source_name, calendar.board
)

select * from final
