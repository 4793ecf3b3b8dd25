-- Splits the conventional first line "Company | Role | Location | REMOTE | Salary" of
-- a thread comment into columns. The order of segments varies between posters, so each
-- segment is recognised by what it looks like; the first one is the company.
{{
    config(
        materialized=incremental_or_table(),
        unique_key='comment_id',
        incremental_strategy='delete+insert'
    )
}}
with

-- Once built, only the comments staged since this model last ran.
postings as (
    select * from {{ ref('stg_hn__postings') }}
    {%- if is_incremental() %}
        where _loaded_at > {{ last_run_of_this() }}
    {%- endif %}
),

headers as (
    select
        comment_id,
        -- A body with no line break is all first line: cut like full texts are.
        left(trim(split_part(coalesce(body_text, ''), chr(10), 1)), {{ max_text_chars() }})
            as header_line
    from postings
),

segments as (
    select
        comment_id,
        header_line,
        trim(unnest({{ split_to_list('header_line', "'|'") }})) as segment,
        generate_subscripts({{ split_to_list('header_line', "'|'") }}, 1) as segment_position,
        {{ list_length(split_to_list('header_line', "'|'")) }} as segment_count
    from headers
),

labelled as (
    select
        *,
        case
            when segment_count > 1 and segment_position = 1 then 'company'
            when {{ regexp('full_match') }}(segment, {{ url_pattern() }}, 'i') then 'url'
            when {{ regexp('matches') }}(segment, {{ remote_pattern() }}, 'i')
                and length(segment) <= 60 then 'remote'
            when {{ regexp('matches') }}(segment, {{ salary_pattern() }}, 'i') then 'salary'
            when {{ regexp('matches') }}(segment, {{ visa_pattern() }}, 'i') then 'visa'
            when {{ regexp('matches') }}(segment, {{ role_pattern() }}, 'i') then 'role'
            when segment_count > 1 then 'location'
            else 'other'
        end as segment_kind
    from segments
    where segment != ''
),

parsed as (
    select
        comment_id,
        {{ any_value_of('header_line') }} as header_line,
        max(segment_count) > 1 as has_pipe_header,
        max(segment) filter (where segment_kind = 'company') as company,
        string_agg(segment, ' / ' order by segment_position)
        filter (where segment_kind = 'role') as role_text,
        string_agg(segment, ' / ' order by segment_position)
        filter (where segment_kind = 'location') as location_text,
        string_agg(segment, ' / ' order by segment_position)
        filter (where segment_kind = 'remote') as remote_text,
        string_agg(segment, ' / ' order by segment_position)
        filter (where segment_kind = 'salary') as salary_text,
        bool_or(segment_kind = 'visa') as mentions_visa
    from labelled
    group by comment_id
),

final as (
    select
        headers.comment_id,
        headers.header_line,
        parsed.company,
        parsed.role_text,
        parsed.location_text,
        parsed.salary_text,
        coalesce(parsed.has_pipe_header, false) as has_pipe_header,
        coalesce(parsed.mentions_visa, false) as mentions_visa,
        case
            when {{ regexp('matches') }}(headers.header_line, '\bhybrid\b', 'i') then 'hybrid'
            when {{ regexp('matches') }}(headers.header_line, '\bremote\b', 'i')
                and {{ regexp('matches') }}(
                    headers.header_line, '\b(on-?site|in[- ]office|in[- ]person)\b', 'i'
                ) then 'remote_or_onsite'
            when {{ regexp('matches') }}(headers.header_line, '\bremote\b', 'i') then 'remote'
            when {{ regexp('matches') }}(
                    headers.header_line, '\b(on-?site|in[- ]office|in[- ]person)\b', 'i'
                ) then 'onsite'
            else 'unknown'
        end as remote_policy,
        {{ loaded_at() }} as _loaded_at
    from headers
    left join parsed on headers.comment_id = parsed.comment_id
)

select * from final
