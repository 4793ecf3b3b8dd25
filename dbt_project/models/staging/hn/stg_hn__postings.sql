-- One row per top-level comment of a monthly "Who is hiring?" thread.
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
        source.by as author,  -- noqa: RF03
        text as body_text,
        text_html as body_html,
        'https://news.ycombinator.com/item?id=' || id as source_url,
        {{ regexp('extract') }}(filename, '([^/]+)\.jsonl\.gz$', 1) as batch_id
    from source
    -- Unparseable lines arrive as all-null rows; they were quarantined by the build step.
    where id is not null and time is not null and thread_id is not null
),

-- A comment landed again competes with its first landing, loaded by an earlier build.
landed as (
    {{ with_earlier_landings('renamed', 'comment_id') }}
),

-- A comment id is landed once per thread cursor; keep the first landing if a
-- backfill ever lands it again.
deduplicated as (
    {{ first_row_per('landed', 'comment_id', 'batch_id') }}
),

final as (
    select
        *,
        {{ loaded_at() }} as _loaded_at
    from deduplicated
)

select * from final
