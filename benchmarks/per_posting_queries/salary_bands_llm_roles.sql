-- Yearly USD salary bands of LLM, other ML and non-ML postings that state a salary.
select
    case
        when is_llm then 'llm'
        when is_ml then 'ml_other'
        else 'not_ml'
    end as role_group,
    count(*) as postings_with_salary,
    round(quantile_cont(salary_min_usd, 0.25), -3) as min_usd_p25,
    round(median(salary_min_usd), -3) as min_usd_median,
    round(median(salary_max_usd), -3) as max_usd_median,
    round(quantile_cont(salary_max_usd, 0.75), -3) as max_usd_p75
from marts.fct_job_postings
where salary_min_usd is not null
group by role_group
order by role_group
