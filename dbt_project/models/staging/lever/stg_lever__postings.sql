-- One row per posting per board snapshot of the Lever postings API.
-- Snapshots are immutable: a build appends the rows of the new landing files only.
{{ config(materialized=incremental_or_table(), incremental_strategy='append') }}
with

source as (
    {{ new_landing_rows('lever') }}
),

renamed as (
    select
        id as job_id,
        _board as board,
        _company as company,
        _segment as company_segment,
        text as title,
        {{ json_get_text('categories', 'location') }} as location_text,
        {{ json_get_text('categories', 'team') }} as team,
        {{ json_get_text('categories', 'commitment') }} as employment_type,
        lower(workplacetype) as workplace_type,
        country,
        {{ epoch_ms_to_timestamp('createdat') }} as published_at,
        {{ json_get_text('salaryrange', 'currency') }} as salary_currency,
        {{ try_cast_to(json_get_text('salaryrange', 'min'), 'double') }} as salary_min,
        {{ try_cast_to(json_get_text('salaryrange', 'max'), 'double') }} as salary_max,
        {{ json_get_text('salaryrange', 'interval') }} as salary_interval,
        description as description_html,
        coalesce(descriptionplain, {{ html_to_text('description') }}) as description_text,
        hostedurl as job_url,
        {{ regexp('extract') }}(filename, '([^/]+)\.jsonl\.gz$', 1) as batch_id
    from source
    where id is not null and text is not null and _board is not null
)

select * from renamed
