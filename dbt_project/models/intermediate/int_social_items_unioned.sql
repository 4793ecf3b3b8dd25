-- HN and Reddit threads and comments about the ML job market, in one shape, with the
-- signals (layoffs, hiring freeze, hiring) their text mentions.
with

hn as (
    select * from {{ ref('stg_hn__discussions') }}
),

reddit as (
    select * from {{ ref('stg_reddit__posts') }}
),

-- The patterns, ready for matching (translated once per term on Postgres).
terms as (
    select
        *,
        {{ prepare_regex('pattern', 'i') }} as match_pattern
    from {{ ref('social_signal_terms') }}
),

unioned as (
    select
        'hn_discussions' as source_name,
        item_id,
        item_kind,
        topic,
        created_at,
        author,
        score,
        concat_ws(' ', thread_title, body_text) as item_text,
        source_url,
        batch_id
    from hn
    union all
    select
        'reddit' as source_name,
        item_id,
        item_kind,
        topic,
        created_at,
        author,
        score,
        concat_ws(' ', case when item_kind = 'thread' then thread_title end, body_text)
            as item_text,
        source_url,
        batch_id
    from reddit
),

signals as (
    select
        unioned.source_name,
        unioned.item_id,
        unioned.topic,
        bool_or(terms.signal = 'layoffs') as mentions_layoffs,
        bool_or(terms.signal = 'hiring_freeze') as mentions_hiring_freeze,
        bool_or(terms.signal = 'hiring') as mentions_hiring
    from unioned
    inner join terms
        on {{ regexp_matches_prepared('unioned.item_text', 'terms.match_pattern', 'i') }}
    group by unioned.source_name, unioned.item_id, unioned.topic
),

final as (
    select
        unioned.*,
        date_trunc('month', unioned.created_at)::date as item_month,
        coalesce(signals.mentions_layoffs, false) as mentions_layoffs,
        coalesce(signals.mentions_hiring_freeze, false) as mentions_hiring_freeze,
        coalesce(signals.mentions_hiring, false) as mentions_hiring
    from unioned
    left join signals
        on
            unioned.source_name = signals.source_name
            and unioned.item_id = signals.item_id
            and unioned.topic = signals.topic
)

select * from final
