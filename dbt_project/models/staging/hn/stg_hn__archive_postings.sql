-- One row per archived posting; fields were extracted upstream by a language model.
{{
    config(
        materialized=incremental_or_table(),
        unique_key='comment_id',
        incremental_strategy='delete+insert'
    )
}}
with

-- New landing files only, once built (macros/incremental.sql).
source as (
    {{ new_landing_rows('hn_archive') }}
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

-- A comment landed again competes with its first landing, loaded by an earlier build.
landed as (
    {{ with_earlier_landings('renamed', 'comment_id') }}
),

deduplicated as (
    {{ first_row_per('landed', 'comment_id', 'batch_id') }}
),

final as (
    select
        *,
        {{ loaded_at() }} as _loaded_at
    from deduplicated
)

select * from final
