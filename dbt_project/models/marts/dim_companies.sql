-- One row per company (normalised name) seen in any posting source: the name it is most
-- often written with, its sources, and how many distinct and reposted postings it has.
with

postings as (
    select * from {{ ref('fct_job_postings') }}
    where company_key is not null
),

final as (
    select
        company_key,
        mode(company) as company_name,
        string_agg(distinct source_name, ', ' order by source_name) as sources,
        count(*) as postings,
        count(*) filter (where not is_repost) as new_postings,
        count(*) filter (where is_ml) as ml_postings,
        min(posting_month) as first_month,
        max(posting_month) as last_month
    from postings
    group by company_key
)

select * from final
