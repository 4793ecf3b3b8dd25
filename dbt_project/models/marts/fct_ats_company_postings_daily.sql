-- Day x company: the company's job boards together (fct_ats_open_postings_daily summed
-- over its boards): open postings, opened and closed that day, and the flagged ML,
-- deep-learning and LLM shares of the open postings. Days a board was not yet or no
-- longer observed add nothing.
with

boards as (
    select * from {{ ref('fct_ats_open_postings_daily') }}
),

daily as (
    select
        snapshot_day,
        company,
        min(company_segment) as company_segment,
        count(*) as boards,
        sum(open_postings) as open_postings,
        sum(open_ml_postings) as open_ml_postings,
        sum(open_deep_learning_postings) as open_deep_learning_postings,
        sum(open_llm_postings) as open_llm_postings,
        sum(opened_postings) as opened_postings,
        sum(closed_postings) as closed_postings
    from boards
    where company is not null
    group by snapshot_day, company
),

final as (
    select
        snapshot_day,
        company,
        company_segment,
        boards,
        open_postings,
        open_ml_postings,
        open_deep_learning_postings,
        open_llm_postings,
        open_ml_postings::{{ type_double() }} / nullif(open_postings, 0) as flagged_ml_share,
        open_deep_learning_postings::{{ type_double() }} / nullif(open_postings, 0)
            as flagged_deep_learning_share,
        open_llm_postings::{{ type_double() }} / nullif(open_postings, 0) as flagged_llm_share,
        opened_postings,
        closed_postings
    from daily
)

select * from final
