-- One row per listed job per board snapshot of the Ashby posting API.
with

source as (
    select * from {{ source('landing', 'ashby') }}
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
        try_cast(publishedat as timestamptz) as published_at,
        compensation -> '$.summaryComponents' as compensation_components,
        descriptionhtml as description_html,
        coalesce(descriptionplain, {{ html_to_text('descriptionhtml') }}) as description_text,
        joburl as job_url,
        regexp_extract(filename, '([^/]+)\.jsonl\.gz$', 1) as batch_id
    from source
    where id is not null and title is not null and _board is not null and coalesce(islisted, true)
),

components as (
    select
        job_id,
        batch_id,
        unnest(cast(compensation_components as json[])) as component
    from renamed
),

-- The salary component, when the board publishes compensation.
salaries as (
    select
        job_id,
        batch_id,
        component ->> '$.currencyCode' as salary_currency,
        try_cast(component ->> '$.minValue' as double) as salary_min,
        try_cast(component ->> '$.maxValue' as double) as salary_max,
        component ->> '$.interval' as salary_interval
    from components
    where component ->> '$.compensationType' = 'Salary'
    qualify row_number() over (partition by job_id, batch_id order by salary_min) = 1
),

final as (
    select
        renamed.* exclude (compensation_components),  -- noqa: RF02
        salaries.salary_currency,
        salaries.salary_min,
        salaries.salary_max,
        salaries.salary_interval
    from renamed
    left join salaries
        on renamed.job_id = salaries.job_id and renamed.batch_id = salaries.batch_id
)

select * from final
