-- Yearly USD salary bands of LLM, other ML and non-ML postings that state a salary
-- (quartiles computed over the postings by dbt: marts.fct_salary_bands).
select
    role_group,
    postings_with_salary,
    round(min_usd_p25, -3) as min_usd_p25,
    round(min_usd_median, -3) as min_usd_median,
    round(max_usd_median, -3) as max_usd_median,
    round(max_usd_p75, -3) as max_usd_p75
from marts.fct_salary_bands
order by role_group
