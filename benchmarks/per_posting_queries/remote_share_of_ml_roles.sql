-- Remote, hybrid and onsite shares of ML postings against all postings, by year.
select
    year(posting_month) as posting_year,
    is_ml,
    count(*) as postings,
    round(avg((remote_policy = 'remote')::int), 3) as remote_share,
    round(avg((remote_policy = 'hybrid')::int), 3) as hybrid_share,
    round(avg((remote_policy = 'onsite')::int), 3) as onsite_share,
    round(avg((remote_policy = 'unknown')::int), 3) as unknown_share
from marts.fct_job_postings
where source_name = 'hn_whoishiring'
group by posting_year, is_ml
order by posting_year, is_ml
