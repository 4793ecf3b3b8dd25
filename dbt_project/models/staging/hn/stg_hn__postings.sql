-- One row per top-level comment of a monthly "Who is hiring?" thread.
with

source as (
    {{ landing_source('hn_whoishiring') }}
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

-- A comment id is landed once per thread cursor; keep the first landing if a
-- backfill ever lands it again.
deduplicated as (
    {{ first_row_per('renamed', 'comment_id', 'batch_id') }}
)

select * from deduplicated
