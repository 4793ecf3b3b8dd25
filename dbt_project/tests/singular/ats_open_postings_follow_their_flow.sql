-- A board's stock moves only by its flow: open today = open yesterday + opened today -
-- closed today, on consecutive days. Returns the days where it does not, and days whose
-- ML, deep-learning or LLM postings exceed the open ones.
with

stock as (
    select * from {{ ref('fct_ats_open_postings_daily') }}
),

paired as (
    select
        today.source_name,
        today.board,
        today.snapshot_day,
        today.open_postings,
        yesterday.open_postings as open_yesterday,
        today.opened_postings,
        today.closed_postings
    from stock as today
    inner join stock as yesterday
        on
            today.source_name = yesterday.source_name
            and today.board = yesterday.board
            and yesterday.snapshot_day = today.snapshot_day - 1
),

broken_flow as (
    select
        source_name,
        board,
        snapshot_day,
        'stock does not follow the flow' as problem
    from paired
    where open_postings != open_yesterday + opened_postings - closed_postings
),

too_many as (
    select
        source_name,
        board,
        snapshot_day,
        'more flagged than open postings' as problem
    from stock
    where
        open_ml_postings > open_postings
        or open_deep_learning_postings > open_postings
        or open_llm_postings > open_postings
),

final as (
    select * from broken_flow
    union all
    select * from too_many
)

select * from final
