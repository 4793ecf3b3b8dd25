-- Companies with the most ML postings in the last 12 months of data (new postings only:
-- reposts of the same job within 90 days count once). dbt ranks them once per build
-- (marts.fct_ml_companies_last_12_months; month by month: fct_company_ml_postings_monthly).
select
    company,
    ml_postings,
    deep_learning_postings,
    llm_postings,
    first_month,
    last_month
from marts.fct_ml_companies_last_12_months
where ml_postings_rank <= 25
order by ml_postings_rank
