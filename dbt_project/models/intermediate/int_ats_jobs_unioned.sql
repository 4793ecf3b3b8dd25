-- Every job of every board snapshot of the three ATSs, in one shape.
with

greenhouse as (
    select * from {{ ref('stg_greenhouse__jobs') }}
),

lever as (
    select * from {{ ref('stg_lever__postings') }}
),

ashby as (
    select * from {{ ref('stg_ashby__jobs') }}
),

unioned as (
    select
        'greenhouse' as source_name,
        board,
        job_id,
        company,
        company_segment,
        title,
        location_text,
        case
            when {{ regexp('matches') }}(location_text, '\bremote\b', 'i') then 'remote'
            else 'unknown'
        end as remote_policy,
        null::varchar as salary_text,
        published_at,
        description_text,
        job_url,
        batch_id
    from greenhouse
    union all
    select
        'lever' as source_name,
        board,
        job_id,
        company,
        company_segment,
        title,
        location_text,
        case workplace_type
            when 'remote' then 'remote'
            when 'hybrid' then 'hybrid'
            when 'on-site' then 'onsite'
            else 'unknown'
        end as remote_policy,
        nullif(concat_ws(
            ' ', salary_currency, salary_min::bigint || '-' || salary_max::bigint, salary_interval
        ), '') as salary_text,
        published_at,
        description_text,
        job_url,
        batch_id
    from lever
    union all
    select
        'ashby' as source_name,
        board,
        job_id,
        company,
        company_segment,
        title,
        location_text,
        case when is_remote then 'remote' else 'unknown' end as remote_policy,
        -- The salary component, else the board's summary ("$230K – $385K • Offers Equity").
        coalesce(
            nullif(concat_ws(
                ' ', salary_currency, salary_min::bigint || '-' || salary_max::bigint,
                salary_interval
            ), ''),
            compensation_summary
        ) as salary_text,
        published_at,
        description_text,
        job_url,
        batch_id
    from ashby
)

select * from unioned
