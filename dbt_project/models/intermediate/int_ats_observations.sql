-- One row per board and day it was looked at: which snapshot it showed that day (null
-- when the board was empty or gone). Failed fetches observe nothing.
with

batches as (
    select * from {{ ref('stg_landing__batches') }}
),

observations as (
    select
        source_name,
        batch_scope as board,
        fetched_at::date as observed_on,
        case when batch_status in ('ok', 'unchanged') then snapshot_batch_id end
            as snapshot_batch_id,
        batch_status
    from batches
    where
        source_name in ('greenhouse', 'lever', 'ashby')
        and batch_status in ('ok', 'unchanged', 'empty', 'gone')
    -- The last look of a day wins.
    qualify row_number() over (
            partition by source_name, batch_scope, fetched_at::date order by fetched_at desc
        ) = 1
)

select * from observations
