-- One row per board and day it was looked at: which snapshot it showed that day (null
-- when the board was empty or gone). Failed fetches observe nothing.
with

batches as (
    select * from {{ ref('stg_landing__batches') }}
),

looks as (
    select
        source_name,
        batch_scope as board,
        fetched_at,
        fetched_at::date as observed_on,
        case when batch_status in ('ok', 'unchanged') then snapshot_batch_id end
            as snapshot_batch_id,
        batch_status
    from batches
    where
        source_name in ('greenhouse', 'lever', 'ashby')
        and batch_status in ('ok', 'unchanged', 'empty', 'gone')
),

-- The last look of a day wins.
observations as (
    {{ first_row_per(
        'looks',
        'source_name, board, observed_on',
        'fetched_at desc nulls last',
        columns='source_name, board, observed_on, snapshot_batch_id, batch_status'
    ) }}
)

select * from observations
