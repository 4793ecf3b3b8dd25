-- One row per top-level comment of a monthly "Who is hiring?" thread: its latest
-- landed version. A comment is landed again when it was edited, killed or deleted, or
-- as a tombstone (status `removed`) when it left its thread; `comment_status` says
-- which (`live`, `dead`, `flagged`, `dupe`, `deleted`, `removed`). Thread sizes land in
-- the same files as `story` records (stg_hn__threads).
{{
    config(
        materialized=incremental_or_table(),
        unique_key='comment_id',
        incremental_strategy='delete+insert'
    )
}}
with

-- New landing files only, once built (macros/incremental.sql).
source as (
    {{ new_landing_rows('hn_whoishiring') }}
),

renamed as (
    select
        id as comment_id,
        thread_id,
        thread_title,
        {{ parse_date('thread_month', '%Y-%m') }} as thread_month,
        to_timestamp(time) as posted_at,
        -- Items reconstructed from pages before May 2021 carry the age the page showed.
        coalesce(time_precision, 'second') as posted_at_precision,
        coalesce(status, 'live') as comment_status,
        source.by as author,  -- noqa: RF03
        text as body_text,
        text_html as body_html,
        'https://news.ycombinator.com/item?id=' || id as source_url,
        {{ regexp('extract') }}(filename, '([^/]+)\.jsonl\.gz$', 1) as batch_id
    from source
    -- Unparseable lines arrive as all-null rows; they were quarantined by the build step.
    -- Batches landed before thread sizes were recorded hold comments only (no type).
    where
        id is not null and time is not null and thread_id is not null
        and coalesce(type, 'comment') = 'comment'
),

-- A comment landed again competes with its versions loaded by earlier builds.
landed as (
    {{ with_earlier_landings('renamed', 'comment_id') }}
),

-- The latest version wins: batch ids start with their landing time.
latest as (
    {{ first_row_per('landed', 'comment_id', 'batch_id desc') }}
),

final as (
    select
        *,
        {{ loaded_at() }} as _loaded_at
    from latest
)

select * from final
