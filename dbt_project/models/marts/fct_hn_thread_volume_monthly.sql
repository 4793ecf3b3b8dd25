-- The real final size of each monthly HN "Who is hiring?" thread (comments of all
-- depths, replies included: seed `hn_thread_sizes`, complete since 2019) with a
-- seasonally adjusted series, by the classical ratio-to-moving-average method: the
-- trend is the centred 2x12 moving average; a calendar month's seasonal factor is the
-- mean of size / trend over the years where the trend exists, scaled so the twelve
-- factors average 1; the adjusted size is size / factor. HN threads dip every December
-- and in summer, which this removes.
with

sizes as (
    select
        {{ parse_date('month', '%Y-%m') }} as thread_month,
        who_is_hiring as all_comments
    from {{ ref('hn_thread_sizes') }}
    where who_is_hiring is not null
),

trend as (
    select
        thread_month,
        all_comments,
        case
            -- A DOUBLE on DuckDB already; a numeric on Postgres without the cast.
            when count(*) over centred = 13
                then cast(
                        (
                            sum(all_comments) over centred
                            - 0.5 * first_value(all_comments) over centred
                            - 0.5 * last_value(all_comments) over centred
                        ) / 12.0 as {{ type_double() }}
                    )
        end as trend_2x12
    from sizes
    window centred as (
        order by thread_month rows between 6 preceding and 6 following
    )
),

raw_factors as (
    select
        {{ date_part_int('month', 'thread_month') }} as calendar_month,
        avg(all_comments / trend_2x12) as raw_factor,
        count(trend_2x12) as years_used
    from trend
    where trend_2x12 is not null
    group by {{ date_part_int('month', 'thread_month') }}
),

factors as (
    select
        calendar_month,
        years_used,
        raw_factor / avg(raw_factor) over () as seasonal_factor
    from raw_factors
),

final as (
    select
        trend.thread_month,
        trend.all_comments,
        trend.trend_2x12,
        factors.seasonal_factor,
        factors.years_used,
        trend.all_comments / factors.seasonal_factor as seasonally_adjusted_comments
    from trend
    left join factors on {{ date_part_int('month', 'trend.thread_month') }} = factors.calendar_month
)

select * from final
