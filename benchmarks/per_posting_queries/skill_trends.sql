-- Skills named most often in HN postings over the last 6 months of data, with their share
-- then and in the 6 months before (comparable only within one ingest method).
with bounds as (
    select max(posting_month) as last_month from marts.fct_skill_trends_monthly
),

windows as (
    select
        trends.skill,
        sum(trends.postings_with_skill) filter (
            where trends.posting_month > bounds.last_month - interval 6 month
        ) as postings_now,
        sum(trends.postings_with_skill) filter (
            where trends.posting_month <= bounds.last_month - interval 6 month
        ) as postings_before
    from marts.fct_skill_trends_monthly as trends, bounds
    where
        trends.source_name = 'hn_whoishiring'
        and trends.posting_month > bounds.last_month - interval 12 month
    group by trends.skill
)

select
    skill,
    coalesce(postings_now, 0) as postings_last_6_months,
    coalesce(postings_before, 0) as postings_previous_6_months
from windows
order by postings_last_6_months desc, skill
limit 20
