-- Links reposts. A posting is a repost of an earlier one (same or another source, at
-- most 90 days before) when both have the same normalised company and job title, or the
-- same text once lower-cased and stripped of web addresses and of everything but letters
-- (so a comment posted again with new dates, salary or links still matches; texts under
-- 200 characters are too generic to count). Each key forms chains of postings no more
-- than 90 days apart; the first posting of a chain is the canonical one and alone counts
-- as new. A posting in two chains takes the earlier canonical posting. Postings without
-- company and title, and without a long enough text, are never linked.
-- Once built, only the chains a changed posting joins or leaves are linked again: the
-- link keys of the changed postings (new keys and the keys they had) mark the affected
-- postings, and their canonical posting is recomputed from every chain of every key
-- they have (two hops: a new posting can change the first of a chain its neighbours
-- share with postings it has no key in common with). Keys are kept in this model so
-- the history is never read again.
{{
    config(
        materialized=incremental_or_table(),
        unique_key='posting_id',
        incremental_strategy='delete+insert'
    )
}}
with

postings as (
    select * from {{ ref('int_postings_unioned') }}
    {%- if is_incremental() %}
        where _loaded_at > {{ last_run_of_this() }}
    {%- endif %}
),

normalised as (
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

changed as (
    select
        posting_id,
        posted_at,
        company_key,
        case
            when company_key is not null and title_key is not null
                then 'title:' || company_key || '|' || title_key
        end as title_link_key,
        'text:' || text_key as text_link_key
    from normalised
),

-- Every posting: the changed ones as they are now, the others (once built) as linked
-- before. Materialized: read three times, and the text keys are costly (at 100k
-- postings: 20 s inlined, 8 s materialized).
keyed as materialized (
    select * from changed
    {%- if is_incremental() %}
        union all
        select
            posting_id,
            posted_at,
            company_key,
            title_link_key,
            text_link_key
        from {{ this }}
        where posting_id not in (select changed.posting_id from changed)
    {%- endif %}
),

{% if is_incremental() -%}
touched_keys as (
    select title_link_key as link_key from changed
    union
    select text_link_key as link_key from changed
    union
    select title_link_key as link_key from {{ this }}
    where posting_id in (select changed.posting_id from changed)
    union
    select text_link_key as link_key from {{ this }}
    where posting_id in (select changed.posting_id from changed)
),

affected as (
    select posting_id from keyed
    where
        title_link_key in (select touched_keys.link_key from touched_keys)
        or text_link_key in (select touched_keys.link_key from touched_keys)
    union
    select posting_id from changed
),

-- The keys of the affected postings: their chains decide their canonical posting.
needed_keys as (
    select keyed.title_link_key as link_key
    from keyed
    inner join affected on keyed.posting_id = affected.posting_id
    union
    select keyed.text_link_key as link_key
    from keyed
    inner join affected on keyed.posting_id = affected.posting_id
),

{% endif -%}
link_keys as (
    select
        posting_id,
        posted_at,
        title_link_key as link_key
    from keyed
    where title_link_key is not null
    union all
    select
        posting_id,
        posted_at,
        text_link_key as link_key
    from keyed
    where text_link_key is not null
),

gaps as (
    select
        *,
        posted_at - lag(posted_at) over (
            partition by link_key order by posted_at, posting_id
        ) as since_previous
    from link_keys
    {%- if is_incremental() %}
        where link_key in (select needed_keys.link_key from needed_keys)
    {%- endif %}
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
            as is_repost,
        keyed.posted_at,
        keyed.title_link_key,
        keyed.text_link_key,
        {{ loaded_at() }} as _loaded_at
    from keyed
    left join linked on keyed.posting_id = linked.posting_id
    {%- if is_incremental() %}
        where keyed.posting_id in (select affected.posting_id from affected)
    {%- endif %}
),

-- Once built, an affected posting whose canonical posting stayed the same is not
-- written again (the marts downstream would rewrite it for nothing). A join once built,
-- hence the qualified star.
relinked as (
    select final.*  -- noqa: RF03
    from final
    {%- if is_incremental() %}
        left join {{ this }} as previous on final.posting_id = previous.posting_id
        where
            final.posting_id in (select changed.posting_id from changed)
            or previous.canonical_posting_id is distinct from final.canonical_posting_id
    {%- endif %}
)

select * from relinked
