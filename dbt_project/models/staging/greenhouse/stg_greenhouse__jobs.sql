-- One row per job per board snapshot of the Greenhouse job board API.
with

source as (
    select * from {{ source('landing', 'greenhouse') }}
),

renamed as (
    select
        cast(id as varchar) as job_id,
        _board as board,
        _company as company,
        _segment as company_segment,
        title,
        location ->> '$.name' as location_text,
        array_to_string(
            cast(json_extract_string(departments, '$[*].name') as varchar[]), ', '
        ) as departments,
        coalesce(
            try_cast(first_published as timestamptz), try_cast(updated_at as timestamptz)
        ) as published_at,
        content as description_html,
        {{ html_to_text('content') }} as description_text,
        absolute_url as job_url,
        regexp_extract(filename, '([^/]+)\.jsonl\.gz$', 1) as batch_id
    from source
    where id is not null and title is not null and _board is not null
)

select * from renamed
