-- Skills named most often in HN postings over the last 6 months of data, with their share
-- then and in the 6 months before (comparable only within one ingest method).
select
    skill,
    postings_last_6_months,
    postings_previous_6_months
from marts.fct_skills_last_12_months
order by postings_last_6_months desc, skill
limit 20
