-- Every posting source in one shape: HN thread comments and job board postings.
-- `title_text` is the role part of a comment's first line or a board's job title;
-- `full_text` the whole text. HN comments that are not live (dead, deleted, or removed
-- from their thread) stay as rows with `is_live` false, so an incremental build replaces
-- the live version they had; the marts count live postings only. Board postings carry
-- their lifecycle; their month is the month they opened. Texts are cut at
-- {{ max_text_chars() }} characters (real postings stay under 10,000): the pattern
-- matching of the models downstream grows with text length, and one 10 MB body
-- exhausted memory.
{{
    config(
        materialized=incremental_or_table(),
        unique_key='posting_id',
        incremental_strategy='delete+insert'
    )
}}
with

{% if is_incremental() -%}
-- Once built, only HN comments whose header was parsed again since this model last
-- ran are unioned again.
changed_comments as (
    select comment_id from {{ ref('int_hn_postings_headers_parsed') }}
    where _loaded_at > {{ last_run_of_this() }}
),

{% endif -%}
thread_postings as (
    select * from {{ ref('stg_hn__postings') }}
    {%- if is_incremental() %}
        where comment_id in (select changed_comments.comment_id from changed_comments)
    {%- endif %}
),

headers as (
    select * from {{ ref('int_hn_postings_headers_parsed') }}
    {%- if is_incremental() %}
        where comment_id in (select changed_comments.comment_id from changed_comments)
    {%- endif %}
),

board_postings as (
    select * from {{ ref('int_ats_postings_lifecycled') }}
),

from_threads as (
    select
        'hn-' || thread_postings.comment_id as posting_id,
        thread_postings.comment_id,
        'hn_whoishiring' as source_name,
        'thread_comments' as ingest_method,
        thread_postings.thread_month as posting_month,
        thread_postings.posted_at,
        thread_postings.posted_at_precision,
        thread_postings.comment_status,
        thread_postings.comment_status = 'live' as is_live,
        thread_postings.author,
        headers.company,
        -- A pipe header without a role segment names no role; a free-text first line is
        -- the closest thing to a title.
        coalesce(
            headers.role_text, case when not headers.has_pipe_header then headers.header_line end
        ) as title_text,
        left(thread_postings.body_text, {{ max_text_chars() }}) as full_text,
        headers.header_line,
        headers.location_text,
        headers.remote_policy,
        headers.salary_text,
        headers.mentions_visa,
        thread_postings.source_url,
        thread_postings.batch_id,
        null::varchar as board,
        null::varchar as company_segment,
        null::date as first_seen_on,
        null::date as last_seen_on,
        null::date as closed_on
    from thread_postings
    inner join headers on thread_postings.comment_id = headers.comment_id
),

from_boards as (
    select
        source_name || '-' || board || '-' || job_id as posting_id,
        null::bigint as comment_id,
        source_name,
        'ats_snapshot' as ingest_method,
        date_trunc('month', coalesce(published_at, first_seen_on))::date as posting_month,
        coalesce(published_at, first_seen_on::timestamptz) as posted_at,
        case when published_at is null then 'day' else 'second' end as posted_at_precision,
        null::varchar as comment_status,
        true as is_live,
        null::varchar as author,
        company,
        title as title_text,
        left(description_text, {{ max_text_chars() }}) as full_text,
        null::varchar as header_line,
        location_text,
        remote_policy,
        salary_text,
        null::boolean as mentions_visa,
        job_url as source_url,
        batch_id,
        board,
        company_segment,
        first_seen_on,
        last_seen_on,
        closed_on
    from board_postings
),

unioned as (
    select * from from_threads
    union all
    select * from from_boards
),

-- Job board lifecycles are recomputed in full (int_ats_postings_lifecycled, a table):
-- once built, the board postings this model holds unchanged are left out.
changed as (
    select * from unioned
    {%- if is_incremental() %}
        except
        select * exclude (_loaded_at) from {{ this }}
        where ingest_method = 'ats_snapshot'
    {%- endif %}
),

final as (
    select
        *,
        {{ loaded_at() }} as _loaded_at
    from changed
)

select * from final
