-- One row per company (normalised name) seen in any posting source: the name it is most
-- often written with, its sources, and how many distinct and reposted postings it has.
with

postings as (
    select * from {{ ref('fct_job_postings') }}
    where company_key is not null
),

spelling_counts as (
    select
        company_key,
        company,
        count(*) as uses
    from postings
    group by company_key, company
),

-- Most frequent spelling; ties go to the alphabetically first, so rebuilds agree.
spellings as (
    {{ first_row_per(
        'spelling_counts',
        'company_key',
        'uses desc, company',
        columns='company_key, company as company_name'
    ) }}
),

totals as (
    select
        company_key,
        string_agg(distinct source_name, ', ' order by source_name) as sources,
        count(*) as postings,
        count(*) filter (where not is_repost) as new_postings,
        count(*) filter (where is_ml) as ml_postings,
        min(posting_month) as first_month,
        max(posting_month) as last_month
    from postings
    group by company_key
),

final as (
    select
        totals.company_key,
        spellings.company_name,
        totals.sources,
        totals.postings,
        totals.new_postings,
        totals.ml_postings,
        totals.first_month,
        totals.last_month
    from totals
    inner join spellings on totals.company_key = spellings.company_key
)

select * from final
