-- One row per archived posting; fields were extracted upstream by a language model.
with

source as (
    select * from {{ source('landing', 'hn_archive') }}
),

renamed as (
    select
        id as comment_id,
        try_strptime(post_date, '%Y-%m-%dT%H:%M:%S') as posted_at,
        nullif(trim(company), '') as company,
        nullif(trim(job_title), '') as job_title,
        nullif(lower(trim(employment_type)), '') as employment_type,
        nullif(trim(salary), '') as salary_text,
        nullif(lower(trim(remote)), '') as remote_flag,
        nullif(trim(city), '') as city,
        nullif(trim(country), '') as country,
        nullif(trim(languages_frameworks), '') as languages_frameworks,
        nullif(trim(post_username), '') as author,
        'https://news.ycombinator.com/item?id=' || id as source_url,
        regexp_extract(filename, '([^/]+)\.jsonl\.gz$', 1) as batch_id
    from source
    where id is not null and post_date is not null
),

deduplicated as (
    select *
    from renamed
    qualify row_number() over (partition by comment_id order by batch_id) = 1
)

select * from deduplicated
