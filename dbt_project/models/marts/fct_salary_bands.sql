-- Role group (llm, ml_other, not_ml) over every posting that states a salary: yearly USD
-- bands. Quantiles cannot be added up from smaller groups, so they are computed here over
-- the postings themselves, once per build.
with

postings as (
    select
        case
            when is_llm then 'llm'
            when is_ml then 'ml_other'
            else 'not_ml'
        end as role_group,
        salary_min_usd,
        salary_max_usd
    from {{ ref('fct_job_postings') }}
    where salary_min_usd is not null
),

final as (
    select
        role_group,
        count(*) as postings_with_salary,
        {{ quantile_cont_of('salary_min_usd', 0.25) }} as min_usd_p25,
        {{ quantile_cont_of('salary_min_usd', 0.5) }} as min_usd_median,
        {{ quantile_cont_of('salary_max_usd', 0.5) }} as max_usd_median,
        {{ quantile_cont_of('salary_max_usd', 0.75) }} as max_usd_p75
    from postings
    group by role_group
)

select * from final
