-- One row per job per board snapshot of the Greenhouse job board API.
-- Snapshots are immutable: a build appends the rows of the new landing files only.
{{ config(materialized=incremental_or_table(), incremental_strategy='append') }}
with

source as (
    {{ new_landing_rows('greenhouse') }}
),

renamed as (
    select
        cast(id as varchar) as job_id,
        _board as board,
        _company as company,
        _segment as company_segment,
        title,
        {{ json_get_text('location', 'name') }} as location_text,
        array_to_string({{ json_array_field_texts('departments', 'name') }}, ', ') as departments,
        coalesce(
            {{ try_cast_to('first_published', 'timestamptz') }},
            {{ try_cast_to('updated_at', 'timestamptz') }}
        ) as published_at,
        content as description_html,
        {{ html_to_text('content') }} as description_text,
        absolute_url as job_url,
        {{ regexp('extract') }}(filename, '([^/]+)\.jsonl\.gz$', 1) as batch_id
    from source
    where id is not null and title is not null and _board is not null
)

select * from renamed
