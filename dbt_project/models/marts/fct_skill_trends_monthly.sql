-- Month x source x skill: postings naming the skill and their share of the month's
-- postings of that source and ingest method.
with

postings as (
    select * from {{ ref('fct_job_postings') }}
),

skills as (
    select * from {{ ref('fct_posting_skills') }}
),

totals as (
    select
        posting_month,
        source_name,
        ingest_method,
        count(*) as postings
    from postings
    group by posting_month, source_name, ingest_method
),

counts as (
    select
        posting_month,
        source_name,
        ingest_method,
        skill,
        count(*) as postings_with_skill
    from skills
    group by posting_month, source_name, ingest_method, skill
),

final as (
    select
        counts.posting_month,
        counts.source_name,
        counts.ingest_method,
        counts.skill,
        counts.postings_with_skill,
        totals.postings,
        counts.postings_with_skill::{{ type_double() }} / totals.postings as share_of_postings,
        {{ wilson_bound('counts.postings_with_skill', 'totals.postings', 'low') }}
            as share_ci_low,
        {{ wilson_bound('counts.postings_with_skill', 'totals.postings', 'high') }}
            as share_ci_high
    from counts
    inner join totals
        on
            counts.posting_month = totals.posting_month
            and counts.source_name = totals.source_name
            and counts.ingest_method = totals.ingest_method
)

select * from final
