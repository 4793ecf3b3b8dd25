-- Month x topic x source of what people say about the ML job market: threads,
-- comments, score, distinct authors, and the share of items mentioning layoffs, a
-- hiring freeze or hiring (patterns in the seed `social_signal_terms`).
with

items as (
    select * from {{ ref('int_social_items_unioned') }}
),

final as (
    select
        item_month,
        topic,
        source_name,
        count(*) filter (where item_kind = 'thread') as threads,
        count(*) filter (where item_kind = 'comment') as comments,  -- noqa: RF04
        sum(score) as total_score,
        count(distinct author) as distinct_authors,
        count(*) as items,
        -- The average of integers is a DOUBLE on DuckDB, a numeric on Postgres: cast.
        avg(mentions_layoffs::int)::{{ type_double() }} as share_mentioning_layoffs,
        avg(mentions_hiring_freeze::int)::{{ type_double() }} as share_mentioning_hiring_freeze,
        avg(mentions_hiring::int)::{{ type_double() }} as share_mentioning_hiring
    from items
    group by item_month, topic, source_name
)

select * from final
