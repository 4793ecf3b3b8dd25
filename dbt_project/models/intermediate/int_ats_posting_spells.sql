-- One row per spell of a job board posting: a run of consecutive looks at its board that
-- listed it. A posting that vanishes and comes back (real boards do this: two Anthropic
-- postings left on 2025-09-12 and returned two and three days later) has two spells; the
-- stock of open postings counts it only while a spell is open.
with

observations as (
    select * from {{ ref('int_ats_observations') }}
),

jobs as (
    select * from {{ ref('int_ats_jobs_unioned') }}
),

looks as (
    select
        source_name,
        board,
        observed_on,
        snapshot_batch_id,
        row_number() over (partition by source_name, board order by observed_on) as look_number
    from observations
),

sightings as (
    select
        jobs.source_name,
        jobs.board,
        jobs.job_id,
        looks.observed_on,
        looks.look_number
    from looks
    inner join jobs
        on
            looks.source_name = jobs.source_name
            and looks.snapshot_batch_id = jobs.batch_id
),

-- Consecutive looks share look_number minus the sighting's rank.
islands as (
    select
        source_name,
        board,
        job_id,
        observed_on,
        look_number,
        look_number - row_number() over (
            partition by source_name, board, job_id order by look_number
        ) as island
    from sightings
),

spells as (
    select
        source_name,
        board,
        job_id,
        min(observed_on) as opened_on,
        max(observed_on) as last_seen_on,
        max(look_number) as last_look_number
    from islands
    group by source_name, board, job_id, island
),

final as (
    select
        spells.source_name || '-' || spells.board || '-' || spells.job_id as posting_id,
        spells.source_name,
        spells.board,
        spells.job_id,
        row_number() over (
            partition by spells.source_name, spells.board, spells.job_id
            order by spells.opened_on
        ) as spell_number,
        spells.opened_on,
        spells.last_seen_on,
        next_look.observed_on as closed_on
    from spells
    left join looks as next_look
        on
            spells.source_name = next_look.source_name
            and spells.board = next_look.board
            and next_look.look_number = spells.last_look_number + 1
)

select * from final
