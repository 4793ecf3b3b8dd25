-- Links reposts. A posting is a repost of an earlier one (same or another source, at
-- most 90 days before) when both have the same normalised company and job title, or the
-- same text once lower-cased and stripped of web addresses and of everything but letters
-- (so a comment posted again with new dates, salary or links still matches; texts under
-- 200 characters are too generic to count). Each key forms chains of postings no more
-- than 90 days apart; the first posting of a chain is the canonical one and alone counts
-- as new. A posting in two chains takes the earlier canonical posting. Postings without
-- company and title, and without a long enough text, are never linked.
with

postings as (
    select * from {{ ref('int_postings_unioned') }}
),

keyed as (
    select
        posting_id,
        source_name,
        posted_at,
        {{ normalize_company('company') }} as company_key,
        {{ normalize_title('title_text') }} as title_key,
        case
            when length(full_text) >= 200
                then md5(trim({{ regexp('replace') }}(
                        lower({{ regexp('replace') }}(full_text, {{ url_pattern() }}, ' ', 'gi')),
                        '[^a-z]+',
                        ' ',
                        'g'
                    )))
        end as text_key
    from postings
),

link_keys as (
    select
        posting_id,
        posted_at,
        'title:' || company_key || '|' || title_key as link_key
    from keyed
    where company_key is not null and title_key is not null
    union all
    select
        posting_id,
        posted_at,
        'text:' || text_key as link_key
    from keyed
    where text_key is not null
),

gaps as (
    select
        *,
        posted_at - lag(posted_at) over (
            partition by link_key order by posted_at, posting_id
        ) as since_previous
    from link_keys
),

chains as (
    select
        *,
        sum(
            case
                when since_previous is null or since_previous > {{ interval_of(90, 'days') }}
                    then 1
                else 0
            end
        )
            over (
                partition by link_key
                order by posted_at, posting_id
                rows between unbounded preceding and current row
            ) as chain_number
    from gaps
),

candidates as (
    select
        posting_id,
        first_value(posted_at) over chain as canonical_posted_at,
        first_value(posting_id) over chain as canonical_posting_id
    from chains
    window chain as (partition by link_key, chain_number order by posted_at, posting_id)
),

linked as (
    select
        posting_id,
        {{ arg_min_by('canonical_posting_id', 'canonical_posted_at, canonical_posting_id') }}
            as canonical_posting_id
    from candidates
    group by posting_id
),

final as (
    select
        keyed.posting_id,
        keyed.company_key,
        coalesce(linked.canonical_posting_id, keyed.posting_id) as canonical_posting_id,
        coalesce(linked.canonical_posting_id, keyed.posting_id) != keyed.posting_id
            as is_repost
    from keyed
    left join linked on keyed.posting_id = linked.posting_id
)

select * from final
