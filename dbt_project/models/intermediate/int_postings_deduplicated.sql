-- Links reposts: a posting whose company and job title (both normalised) match a
-- posting of the same or another source at most 90 days earlier is a repost of it. A
-- chain of reposts keeps the first posting as its canonical one, which alone counts as
-- a new posting; a gap of more than 90 days starts a new chain. Postings without a
-- company or a title are never linked.
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
        {{ normalize_title('title_text') }} as title_key
    from postings
),

gaps as (
    select
        *,
        posted_at - lag(posted_at) over (
            partition by company_key, title_key order by posted_at, posting_id
        ) as since_previous
    from keyed
    where company_key is not null and title_key is not null
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
                partition by company_key, title_key
                order by posted_at, posting_id
                rows between unbounded preceding and current row
            ) as chain_number
    from gaps
),

linked as (
    select
        posting_id,
        company_key,
        first_value(posting_id) over (
            partition by company_key, title_key, chain_number order by posted_at, posting_id
        ) as canonical_posting_id
    from chains
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
