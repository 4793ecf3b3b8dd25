-- Month x source x segment x classification method: postings, ML / deep-learning / LLM
-- counts and shares with 95% Wilson intervals, and how much of the real thread the month
-- holds. Segment `all` covers every posting of a source; job board sources also get one
-- row per company segment of config/boards.yaml (ai_lab, ml_infra, tech, control).
-- Methods: `posting` (the posting classifier, everything a posting has) and `title` (the
-- title alone, the same evidence for every ingest method). Per source and method the
-- calendar is gap-free from the first month to the last: months without postings are
-- rows with coverage 'missing'. Completeness is measured for HN
-- "Who is hiring?" only: the comments landed (live or not) over the thread's top-level
-- comments as last observed (stg_hn__threads). A month is `partial` when less than var
-- `partial_coverage_threshold` of them landed or when the thread was last observed
-- before it closed (var `thread_open_days` after it was posted), `unknown` when its
-- thread was never observed or for sources without a thread size (job boards, counted
-- by the month they opened), else `ok`. `share_of_final_comments` compares the comments
-- of all depths observed with the thread's final size (seed hn_thread_sizes).
-- Changes: month over month and year over year (shares in points, postings in percent;
-- null across a missing month); the ML share index is 100 in the
-- base year (var `index_base_year`). HN months also carry the thread's seasonal factor
-- (fct_hn_thread_volume_monthly, ratio to a 2x12 moving average) and seasonally adjusted
-- postings: HN threads dip every December and summer.
with

classified as (
    select
        rules.*,
        scored.is_ml as posting_is_ml,
        scored.is_deep_learning as posting_is_deep_learning,
        scored.is_llm as posting_is_llm
    from {{ ref('int_postings_classified') }} as rules
    inner join {{ ref('int_postings_scored') }} as scored
        on rules.posting_id = scored.posting_id
),

-- Comments of a thread that landed, live or not (a removed one left the thread).
landed_comments as (
    select
        posting_month,
        count(*) as landed_comments
    from classified
    where source_name = 'hn_whoishiring' and comment_status != 'removed'
    group by posting_month
),

threads as (
    select
        threads.thread_month as posting_month,
        threads.top_level_comments as thread_top_level_comments,
        threads.all_comments as thread_observed_comments,
        threads.observed_at as thread_observed_at,
        threads.observed_at
        < threads.thread_posted_at + interval '{{ var("thread_open_days") }} days'
            as thread_observed_while_open,
        final_sizes.who_is_hiring as thread_all_comments
    from {{ ref('stg_hn__threads') }} as threads
    left join {{ ref('hn_thread_sizes') }} as final_sizes
        on threads.thread_month = {{ parse_date('final_sizes.month', '%Y-%m') }}
),

-- Each posting counts for `all` and, on job boards, for its company segment.
postings as (
    select
        classified.*,
        segments.segment
    from classified
    cross join lateral (values ('all'), (classified.company_segment)) as segments (segment)
    where segments.segment is not null and classified.is_live
),

seasonal_factors as (
    select distinct
        {{ date_part_int('month', 'thread_month') }} as calendar_month,
        seasonal_factor
    from {{ ref('fct_hn_thread_volume_monthly') }}
),

bounds as (
    select
        source_name,
        segment,
        min(posting_month) as first_month,
        max(posting_month) as last_month
    from postings
    group by source_name, segment
),

calendar as (
    select
        source_name,
        segment,
        spine.month_start::date as posting_month
    from bounds,
        {{ date_series('first_month', 'last_month', '1 month') }} as spine (month_start)
),

by_method as (
    select
        postings.posting_month,
        postings.source_name,
        postings.segment,
        methods.classification_method,
        string_agg(distinct postings.ingest_method, ',' order by postings.ingest_method)
            as ingest_method,
        count(*) as postings,
        count(*) filter (
            where case methods.classification_method
                when 'posting' then postings.posting_is_ml else postings.title_is_ml
            end
        ) as ml_postings,
        count(*) filter (
            where case methods.classification_method
                when 'posting' then postings.posting_is_deep_learning else
                    postings.title_is_deep_learning
            end
        ) as deep_learning_postings,
        count(*) filter (
            where case methods.classification_method
                when 'posting' then postings.posting_is_llm else postings.title_is_llm
            end
        ) as llm_postings
    from postings
    cross join (values ('posting'), ('title')) as methods (classification_method)
    group by
        postings.posting_month,
        postings.source_name,
        postings.segment,
        methods.classification_method
),

series as (
    select
        calendar.posting_month,
        calendar.source_name,
        calendar.segment,
        methods.classification_method,
        by_method.ingest_method,
        coalesce(by_method.postings, 0) as postings,
        coalesce(by_method.ml_postings, 0) as ml_postings,
        coalesce(by_method.deep_learning_postings, 0) as deep_learning_postings,
        coalesce(by_method.llm_postings, 0) as llm_postings
    from calendar
    cross join (values ('posting'), ('title')) as methods (classification_method)
    left join by_method
        on
            calendar.source_name = by_method.source_name
            and calendar.segment = by_method.segment
            and calendar.posting_month = by_method.posting_month
            and methods.classification_method = by_method.classification_method
),

measured as (
    select
        series.*,
        threads.thread_top_level_comments,
        threads.thread_all_comments,
        threads.thread_observed_at,
        threads.thread_observed_while_open,
        landed_comments.landed_comments::{{ type_double() }}
        / nullif(threads.thread_top_level_comments, 0) as completeness,
        threads.thread_observed_comments::{{ type_double() }}
        / nullif(threads.thread_all_comments, 0) as share_of_final_comments,
        lag(series.ingest_method) over (
            partition by series.source_name, series.segment, series.classification_method
            order by series.posting_month
        ) as previous_ingest_method
    from series
    left join threads
        on
            series.source_name = 'hn_whoishiring'
            and series.segment = 'all'
            and series.posting_month = threads.posting_month
    left join landed_comments
        on
            series.source_name = 'hn_whoishiring'
            and series.segment = 'all'
            and series.posting_month = landed_comments.posting_month
),

final as (
    select
        posting_month,
        source_name,
        segment,
        classification_method,
        ingest_method,
        postings,
        ml_postings,
        deep_learning_postings,
        llm_postings,
        ml_postings::{{ type_double() }} / nullif(postings, 0) as ml_share,
        {{ wilson_bound('ml_postings', 'postings', 'low') }} as ml_share_ci_low,
        {{ wilson_bound('ml_postings', 'postings', 'high') }} as ml_share_ci_high,
        deep_learning_postings::{{ type_double() }} / nullif(postings, 0) as deep_learning_share,
        {{ wilson_bound('deep_learning_postings', 'postings', 'low') }}
            as deep_learning_share_ci_low,
        {{ wilson_bound('deep_learning_postings', 'postings', 'high') }}
            as deep_learning_share_ci_high,
        llm_postings::{{ type_double() }} / nullif(postings, 0) as llm_share,
        {{ wilson_bound('llm_postings', 'postings', 'low') }} as llm_share_ci_low,
        {{ wilson_bound('llm_postings', 'postings', 'high') }} as llm_share_ci_high,
        thread_top_level_comments,
        thread_all_comments,
        thread_observed_at,
        completeness,
        share_of_final_comments,
        case
            when postings = 0 then 'missing'
            when thread_observed_at is null then 'unknown'
            when
                completeness < {{ var('partial_coverage_threshold') }}
                or thread_observed_while_open
                then 'partial'
            else 'ok'
        end as coverage_status,
        -- True in the first month whose postings came through another ingest method
        -- than the previous month with data.
        coalesce(
            ingest_method != {{ last_value_ignore_nulls(
                'previous_ingest_method',
                'partition by source_name, segment, classification_method order by posting_month'
                ~ ' rows between unbounded preceding and current row'
            ) }},
            false
        ) as is_method_break
    from measured
),

-- The index's base: the pooled ML share of the base year (var `index_base_year`).
index_base as (
    select
        source_name,
        segment,
        classification_method,
        sum(ml_postings)::{{ type_double() }} / nullif(sum(postings), 0) as base_ml_share
    from final
    where {{ date_part_int('year', 'posting_month') }} = {{ var('index_base_year') }}
    group by source_name, segment, classification_method
),

with_changes as (
    select
        final.*,
        100 * final.ml_share / nullif(index_base.base_ml_share, 0) as ml_share_index,
        final.ml_share - lag(final.ml_share) over month_order as ml_share_mom_change,
        final.ml_share - lag(final.ml_share, 12) over month_order as ml_share_yoy_change,
        nullif(final.postings, 0)::{{ type_double() }}
        / nullif(lag(final.postings) over month_order, 0) - 1 as postings_mom_change,
        nullif(final.postings, 0)::{{ type_double() }}
        / nullif(lag(final.postings, 12) over month_order, 0) - 1 as postings_yoy_change,
        seasonal_factors.seasonal_factor,
        final.postings / seasonal_factors.seasonal_factor as postings_seasonally_adjusted,
        final.ml_postings / seasonal_factors.seasonal_factor as ml_postings_seasonally_adjusted
    from final
    left join index_base
        on
            final.source_name = index_base.source_name
            and final.segment = index_base.segment
            and final.classification_method = index_base.classification_method
    left join seasonal_factors
        on
            final.source_name = 'hn_whoishiring'
            and seasonal_factors.calendar_month
            = {{ date_part_int('month', 'final.posting_month') }}
    window month_order as (
        partition by final.source_name, final.segment, final.classification_method
        order by final.posting_month
    )
)

select * from with_changes
