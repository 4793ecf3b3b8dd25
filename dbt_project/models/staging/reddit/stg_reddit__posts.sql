-- One row per Reddit post or top comment found by a configured subreddit search.
with

source as (
    {{ landing_source('reddit') }}
),

renamed as (
    select
        id as item_id,
        case when _kind = 'comment' then 'comment' else 'thread' end as item_kind,
        _topic as topic,
        _query as search_query,
        subreddit,
        to_timestamp(created_utc) as created_at,
        author,
        title as thread_title,
        coalesce(selftext, body) as body_text,
        coalesce(score, 0) as score,
        num_comments,
        'https://www.reddit.com' || permalink as source_url,
        {{ regexp('extract') }}(filename, '([^/]+)\.jsonl\.gz$', 1) as batch_id
    from source
    where id is not null and created_utc is not null and _topic is not null
),

deduplicated as (
    {{ first_row_per('renamed', 'item_id, topic', 'batch_id') }}
)

select * from deduplicated
