-- Day x board: job board postings open that day (the stock), opened and closed that day
-- (the flow), ML, deep-learning and LLM postings among the open ones and their flagged
-- shares. Days run from a board's first to its last observation. A posting is open
-- while one of its spells is (int_ats_posting_spells): one that left the board and came
-- back is not counted in between, and its return counts as an opening.
with

postings as (
    select * from {{ ref('fct_job_postings') }}
    where ingest_method = 'ats_snapshot'
),

spells as (
    select
        spells.posting_id,
        spells.source_name,
        spells.board,
        spells.opened_on,
        spells.closed_on,
        postings.is_ml,
        postings.is_deep_learning,
        postings.is_llm
    from {{ ref('int_ats_posting_spells') }} as spells
    inner join postings on spells.posting_id = postings.posting_id
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

-- The board's company as its newest posting names it.
companies as (
    {{ first_row_per(
        'postings',
        'source_name, board',
        'last_seen_on desc nulls last, posting_id',
        columns='source_name, board, company, company_segment'
    ) }}
),

calendar as (
    select
        source_name,
        board,
        spine.day_start::date as snapshot_day
    from bounds,
        {{ date_series('first_day', 'last_day', '1 day') }} as spine (day_start)
),

daily as (
    select
        calendar.snapshot_day,
        calendar.source_name,
        calendar.board,
        count(spells.posting_id) filter (
            where spells.opened_on <= calendar.snapshot_day
            and (spells.closed_on is null or spells.closed_on > calendar.snapshot_day)
        ) as open_postings,
        count(spells.posting_id) filter (
            where spells.is_ml and spells.opened_on <= calendar.snapshot_day
            and (spells.closed_on is null or spells.closed_on > calendar.snapshot_day)
        ) as open_ml_postings,
        count(spells.posting_id) filter (
            where spells.is_deep_learning and spells.opened_on <= calendar.snapshot_day
            and (spells.closed_on is null or spells.closed_on > calendar.snapshot_day)
        ) as open_deep_learning_postings,
        count(spells.posting_id) filter (
            where spells.is_llm and spells.opened_on <= calendar.snapshot_day
            and (spells.closed_on is null or spells.closed_on > calendar.snapshot_day)
        ) as open_llm_postings,
        count(spells.posting_id) filter (where spells.opened_on = calendar.snapshot_day)
            as opened_postings,
        count(spells.posting_id) filter (where spells.closed_on = calendar.snapshot_day)
            as closed_postings
    from calendar
    left join spells
        on calendar.source_name = spells.source_name and calendar.board = spells.board
    group by calendar.snapshot_day, calendar.source_name, calendar.board
),

final as (
    select
        daily.snapshot_day,
        daily.source_name,
        daily.board,
        companies.company,
        companies.company_segment,
        daily.open_postings,
        daily.open_ml_postings,
        daily.open_deep_learning_postings,
        daily.open_llm_postings,
        daily.open_ml_postings::{{ type_double() }} / nullif(daily.open_postings, 0)
            as flagged_ml_share,
        daily.open_deep_learning_postings::{{ type_double() }} / nullif(daily.open_postings, 0)
            as flagged_deep_learning_share,
        daily.open_llm_postings::{{ type_double() }} / nullif(daily.open_postings, 0)
            as flagged_llm_share,
        daily.opened_postings,
        daily.closed_postings
    from daily
    left join companies
        on daily.source_name = companies.source_name and daily.board = companies.board
)

select * from final
