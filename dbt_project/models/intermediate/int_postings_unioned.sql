-- Every posting source in one shape: HN thread comments, the HN archive and job board
-- postings. `title_text` is what every method has (the role part of a comment's first
-- line, the archive's job title, a board's job title); `full_text` is null for the
-- archive, whose frameworks list is `skills_text`. Board postings carry their lifecycle;
-- their month is the month they opened. Texts are cut at {{ max_text_chars() }} characters
-- (real postings stay under 10,000): the pattern matching of the models downstream grows
-- with text length, and one 10 MB body exhausted memory.
{{
    config(
        materialized=incremental_or_table(),
        unique_key='posting_id',
        incremental_strategy='delete+insert'
    )
}}
with

{% if is_incremental() -%}
-- Once built, only HN comments whose thread copy (header parsed) or archive copy
-- changed since this model last ran are unioned again, both copies, so the choice
-- between them is made as in a full build.
changed_comments as (
    select comment_id from {{ ref('int_hn_postings_headers_parsed') }}
    where _loaded_at > {{ last_run_of_this() }}
    union
    select comment_id from {{ ref('stg_hn__archive_postings') }}
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

archive_postings as (
    select * from {{ ref('stg_hn__archive_postings') }}
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
        thread_postings.author,
        headers.company,
        -- A pipe header without a role segment names no role; a free-text first line is
        -- the closest thing to a title.
        coalesce(
            headers.role_text, case when not headers.has_pipe_header then headers.header_line end
        ) as title_text,
        left(thread_postings.body_text, {{ max_text_chars() }}) as full_text,
        null::varchar as skills_text,
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

from_archive as (
    select
        'hn-' || comment_id as posting_id,
        comment_id,
        'hn_whoishiring' as source_name,
        'archive_llm_extracted' as ingest_method,
        date_trunc('month', posted_at)::date as posting_month,
        posted_at,
        author,
        company,
        job_title as title_text,
        null::varchar as full_text,
        languages_frameworks as skills_text,
        null::varchar as header_line,
        concat_ws(', ', city, country) as location_text,
        case remote_flag
            when 'yes' then 'remote'
            when 'no' then 'onsite'
            when 'hybrid' then 'hybrid'
            else 'unknown'
        end as remote_policy,
        salary_text,
        null::boolean as mentions_visa,
        source_url,
        batch_id,
        null::varchar as board,
        null::varchar as company_segment,
        null::date as first_seen_on,
        null::date as last_seen_on,
        null::date as closed_on
    from archive_postings
    where posted_at is not null
),

from_boards as (
    select
        source_name || '-' || board || '-' || job_id as posting_id,
        null::bigint as comment_id,
        source_name,
        'ats_snapshot' as ingest_method,
        date_trunc('month', coalesce(published_at, first_seen_on))::date as posting_month,
        coalesce(published_at, first_seen_on::timestamptz) as posted_at,
        null::varchar as author,
        company,
        title as title_text,
        left(description_text, {{ max_text_chars() }}) as full_text,
        null::varchar as skills_text,
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
    select * from from_archive
    union all
    select * from from_boards
),

-- The same HN comment in both sources counts once; the thread copy has the full text.
deduplicated as (
    {{ first_row_per(
        'unioned', 'posting_id', "case ingest_method when 'thread_comments' then 0 else 1 end"
    ) }}
),

-- Job board lifecycles are recomputed in full (int_ats_postings_lifecycled, a table):
-- once built, the board postings this model holds unchanged are left out.
changed as (
    select * from deduplicated
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
