-- One row per posting per board snapshot of the Lever postings API.
with

source as (
    select * from {{ source('landing', 'lever') }}
),

renamed as (
    select
        id as job_id,
        _board as board,
        _company as company,
        _segment as company_segment,
        text as title,
        categories ->> '$.location' as location_text,
        categories ->> '$.team' as team,
        categories ->> '$.commitment' as employment_type,
        lower(workplacetype) as workplace_type,
        country,
        epoch_ms(createdat) as published_at,
        salaryrange ->> '$.currency' as salary_currency,
        try_cast(salaryrange ->> '$.min' as double) as salary_min,
        try_cast(salaryrange ->> '$.max' as double) as salary_max,
        salaryrange ->> '$.interval' as salary_interval,
        description as description_html,
        coalesce(descriptionplain, {{ html_to_text('description') }}) as description_text,
        hostedurl as job_url,
        regexp_extract(filename, '([^/]+)\.jsonl\.gz$', 1) as batch_id
    from source
    where id is not null and text is not null and _board is not null
)

select * from renamed
