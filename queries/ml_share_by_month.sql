-- ML, deep-learning and LLM share of HN "Who is hiring?" postings by month, with 95%
-- intervals and coverage (the posting classifier on full text: the series behind the
-- verdict).
select
    posting_month,
    postings,
    round(ml_share, 4) as ml_share,
    round(ml_share_ci_low, 4) as ml_share_ci_low,
    round(ml_share_ci_high, 4) as ml_share_ci_high,
    round(deep_learning_share, 4) as deep_learning_share,
    round(llm_share, 4) as llm_share,
    coverage_status,
    ingest_method
from marts.fct_ml_hiring_monthly
where source_name = 'hn_whoishiring' and segment = 'all' and classification_method = 'posting'
order by posting_month
