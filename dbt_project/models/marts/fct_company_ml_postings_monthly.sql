-- Company (as written) x month: new ML postings, i.e. not reposts of the same job within
-- 90 days, with their deep-learning and LLM counts. Only company-months with at least one
-- such posting have a row: company trends and rankings over a window of months
-- (fct_ml_companies_last_12_months) read this instead of every posting.
with

postings as (
    select * from {{ ref('fct_job_postings') }}
    where is_ml and not is_repost and company is not null
),

final as (
    select
        company,
        posting_month,
        count(*) as ml_postings,
        count(*) filter (where is_deep_learning) as deep_learning_postings,
        count(*) filter (where is_llm) as llm_postings
    from postings
    group by company, posting_month
)

-- Stored in month order: a window of months then reads neighbouring row groups.
select * from final
order by posting_month, company
