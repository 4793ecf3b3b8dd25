-- Skills named in HN postings over the last 12 months of data, split into the newest six
-- months and the six before (the newest month of fct_skill_trends_monthly anchors the
-- windows, not today's date). One row per skill: the saved query `skill_trends` and the
-- Superset chart of top skills read it instead of each summing the monthly mart.
with

trends as (
    select * from {{ ref('fct_skill_trends_monthly') }}
),

newest as (
    select max(posting_month) as window_last_month from trends
),

windows as (
    select
        trends.skill,
        newest.window_last_month,
        sum(trends.postings_with_skill) filter (
            where trends.posting_month > newest.window_last_month - {{ interval_of(6, 'month') }}
        ) as postings_now,
        sum(trends.postings_with_skill) filter (
            where trends.posting_month <= newest.window_last_month - {{ interval_of(6, 'month') }}
        ) as postings_before
    from trends
    cross join newest
    where
        trends.source_name = 'hn_whoishiring'
        and trends.posting_month > newest.window_last_month - {{ interval_of(12, 'month') }}
    group by trends.skill, newest.window_last_month
),

final as (
    select
        skill,
        coalesce(postings_now, 0) as postings_last_6_months,
        coalesce(postings_before, 0) as postings_previous_6_months,
        window_last_month
    from windows
)

select * from final
