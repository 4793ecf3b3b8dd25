-- One row per listed job per board snapshot of the Ashby posting API.
-- Snapshots are immutable: a build appends the rows of the new landing files only.
{{ config(materialized=incremental_or_table(), incremental_strategy='append') }}
with

source as (
    {{ new_landing_rows('ashby') }}
),

renamed as (
    select
        id as job_id,
        _board as board,
        _company as company,
        _segment as company_segment,
        title,
        department,
        team,
        employmenttype as employment_type,
        location as location_text,
        isremote as is_remote,
        {{ try_cast_to('publishedat', 'timestamptz') }} as published_at,
        {{ json_get('compensation', 'summaryComponents') }} as compensation_components,
        {{ json_get_text('compensation', 'compensationTierSummary') }} as compensation_summary,
        descriptionhtml as description_html,
        coalesce(descriptionplain, {{ html_to_text('descriptionhtml') }}) as description_text,
        joburl as job_url,
        {{ regexp('extract') }}(filename, '([^/]+)\.jsonl\.gz$', 1) as batch_id
    from source
    where id is not null and title is not null and _board is not null and coalesce(islisted, true)
),

components as (
    select
        job_id,
        batch_id,
        {{ json_array_elements('compensation_components') }} as component
    from renamed
),

salary_components as (
    select
        job_id,
        batch_id,
        {{ json_get_text('component', 'currencyCode') }} as salary_currency,
        {{ try_cast_to(json_get_text('component', 'minValue'), 'double') }} as salary_min,
        {{ try_cast_to(json_get_text('component', 'maxValue'), 'double') }} as salary_max,
        {{ json_get_text('component', 'interval') }} as salary_interval
    from components
    where {{ json_get_text('component', 'compensationType') }} = 'Salary'
),

-- The salary component, when the board publishes compensation.
salaries as (
    {{ first_row_per('salary_components', 'job_id, batch_id', 'salary_min') }}
),

final as (
    select
        renamed.job_id,
        renamed.board,
        renamed.company,
        renamed.company_segment,
        renamed.title,
        renamed.department,
        renamed.team,
        renamed.employment_type,
        renamed.location_text,
        renamed.is_remote,
        renamed.published_at,
        renamed.description_html,
        renamed.description_text,
        renamed.job_url,
        renamed.batch_id,
        renamed.compensation_summary,
        salaries.salary_currency,
        salaries.salary_min,
        salaries.salary_max,
        salaries.salary_interval
    from renamed
    left join salaries
        on renamed.job_id = salaries.job_id and renamed.batch_id = salaries.batch_id
)

select * from final
