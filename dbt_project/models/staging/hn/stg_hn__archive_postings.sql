-- One row per archived posting; fields were extracted upstream by a language model.
with

source as (
    {{ landing_source('hn_archive') }}
),

renamed as (
    select
        id as comment_id,
        {{ try_parse_timestamp('post_date', '%Y-%m-%dT%H:%M:%S') }} as posted_at,
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
        {{ regexp('extract') }}(filename, '([^/]+)\.jsonl\.gz$', 1) as batch_id
    from source
    where id is not null and post_date is not null
),

deduplicated as (
    {{ first_row_per('renamed', 'comment_id', 'batch_id') }}
)

select * from deduplicated
