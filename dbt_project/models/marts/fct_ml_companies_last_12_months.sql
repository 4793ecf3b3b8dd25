-- Companies with new ML postings in the last 12 months of data (the newest month of any
-- posting and the 11 before), ranked by those postings, ties by name. Ranked here
-- because a window over company-months grows with companies x months: at 10M synthetic
-- postings the saved query would aggregate ~100k of ~730k rows on every run.
with

newest as (
    select max(posting_month) as window_last_month
    from {{ ref('fct_job_postings') }}
),

company_months as (
    select * from {{ ref('fct_company_ml_postings_monthly') }}
),

in_window as (
    select
        company_months.company,
        newest.window_last_month,
        -- bigint, the type count(*) gave the per-posting query (a sum would be hugeint).
        sum(company_months.ml_postings)::bigint as ml_postings,
        sum(company_months.deep_learning_postings)::bigint as deep_learning_postings,
        sum(company_months.llm_postings)::bigint as llm_postings,
        min(company_months.posting_month) as first_month,
        max(company_months.posting_month) as last_month
    from company_months
    cross join newest
    where company_months.posting_month > newest.window_last_month - {{ interval_of(12, 'month') }}
    group by company_months.company, newest.window_last_month
),

final as (
    select
        row_number() over (order by ml_postings desc, company asc) as ml_postings_rank,
        company,
        ml_postings,
        deep_learning_postings,
        llm_postings,
        first_month,
        last_month,
        window_last_month
    from in_window
)

-- Stored in rank order: the top N read the first row group only.
select * from final
order by ml_postings_rank
