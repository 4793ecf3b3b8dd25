-- One row per monthly "Who is hiring?" thread: its size as last observed, from the
-- `story` records the ingest lands whenever a thread's size changed. `observed_at` is
-- when the size was true (the API answer's Date; a replayed page capture keeps its
-- capture time): a thread observed early in its month was still filling up.
{{
    config(
        materialized=incremental_or_table(),
        unique_key='thread_id',
        incremental_strategy='delete+insert'
    )
}}
with

source as (
    {{ new_landing_rows('hn_whoishiring') }}
),

renamed as (
    select
        thread_id,
        thread_title,
        {{ parse_date('thread_month', '%Y-%m') }} as thread_month,
        to_timestamp(time) as thread_posted_at,
        top_level_comments,
        descendants as all_comments,
        observed_at,
        {{ regexp('extract') }}(filename, '([^/]+)\.jsonl\.gz$', 1) as batch_id
    from source
    where type = 'story' and thread_id is not null and observed_at is not null
),

landed as (
    {{ with_earlier_landings('renamed', 'thread_id') }}
),

latest as (
    {{ first_row_per('landed', 'thread_id', 'observed_at desc, batch_id desc') }}
),

final as (
    select
        *,
        {{ loaded_at() }} as _loaded_at
    from latest
)

select * from final
