-- Companies with the most ML postings in the last 12 months of data (new postings only:
-- reposts of the same job within 90 days count once).
with newest as (
    select max(posting_month) as last_month from marts.fct_job_postings
)

select
    postings.company,
    count(*) as ml_postings,
    count(*) filter (where postings.is_deep_learning) as deep_learning_postings,
    count(*) filter (where postings.is_llm) as llm_postings,
    min(postings.posting_month) as first_month,
    max(postings.posting_month) as last_month
from marts.fct_job_postings as postings, newest
where
    postings.is_ml
    and not postings.is_repost
    and postings.company is not null
    and postings.posting_month > newest.last_month - interval 12 month
group by postings.company
order by ml_postings desc, postings.company
limit 25
