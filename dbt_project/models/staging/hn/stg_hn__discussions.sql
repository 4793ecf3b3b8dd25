-- One row per HN story or comment found by a configured search query.
with

source as (
    {{ landing_source('hn_discussions') }}
),

renamed as (
    select
        objectid as item_id,
        case when {{ list_contains_value('_tags', "'comment'") }} then 'comment' else 'thread' end
            as item_kind,
        _topic as topic,
        _query as search_query,
        to_timestamp(created_at_i) as created_at,
        author,
        coalesce(title, story_title) as thread_title,
        {{ html_to_text('coalesce(story_text, comment_text)') }} as body_text,
        coalesce(points, 0) as score,
        num_comments,
        'https://news.ycombinator.com/item?id=' || objectid as source_url,
        {{ regexp('extract') }}(filename, '([^/]+)\.jsonl\.gz$', 1) as batch_id
    from source
    where objectid is not null and created_at_i is not null and _topic is not null
),

-- The same item can match several queries of one topic; count it once per topic.
deduplicated as (
    {{ first_row_per('renamed', 'item_id, topic', 'batch_id') }}
)

select * from deduplicated
