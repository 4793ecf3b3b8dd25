-- One row per distinct live posting of every posting source, classified, traceable to
-- its landing batch and URL; job board postings also carry when they were seen open.
-- Once built, only the postings whose classification, parse or repost link changed
-- since this model last ran are written again (no bookkeeping column here: a mart's
-- rows equal a full build's); the post-hook drops postings that are no longer live
-- (an HN comment killed, deleted or removed from its thread since).
{{
    config(
        materialized=incremental_or_table(),
        unique_key='posting_id',
        incremental_strategy='delete+insert',
        post_hook="delete from {{ this }} where posting_id in (select posting_id from "
            ~ "{{ ref('int_postings_classified') }} where not is_live)"
    )
}}
with

{% if is_incremental() -%}
changed as (
    select posting_id from {{ ref('int_postings_scored') }}
    where _loaded_at > {{ last_run_of_this() }}
    union
    select posting_id from {{ ref('int_postings_parsed') }}
    where _loaded_at > {{ last_run_of_this() }}
    union
    select posting_id from {{ ref('int_postings_deduplicated') }}
    where _loaded_at > {{ last_run_of_this() }}
),

{% endif -%}
classified as (
    select * from {{ ref('int_postings_classified') }}
    {%- if is_incremental() %}
        where posting_id in (select changed.posting_id from changed)
    {%- endif %}
),

scored as (
    select * from {{ ref('int_postings_scored') }}
    {%- if is_incremental() %}
        where posting_id in (select changed.posting_id from changed)
    {%- endif %}
),

batches as (
    select * from {{ ref('dim_batches') }}
),

parsed as (
    select * from {{ ref('int_postings_parsed') }}
    {%- if is_incremental() %}
        where posting_id in (select changed.posting_id from changed)
    {%- endif %}
),

duplicates as (
    select * from {{ ref('int_postings_deduplicated') }}
    {%- if is_incremental() %}
        where posting_id in (select changed.posting_id from changed)
    {%- endif %}
),

final as (
    select
        classified.posting_id,
        classified.comment_id,
        classified.source_name,
        classified.ingest_method,
        classified.posting_month,
        classified.posted_at,
        classified.posted_at_precision,
        classified.author,
        classified.company,
        duplicates.company_key,
        duplicates.canonical_posting_id,
        duplicates.is_repost,
        classified.title_text,
        classified.header_line,
        classified.location_text,
        classified.remote_policy,
        classified.salary_text,
        classified.mentions_visa,
        classified.role_family,
        parsed.seniority,
        parsed.employment_type,
        parsed.salary_currency,
        parsed.salary_period,
        parsed.salary_min_yearly,
        parsed.salary_max_yearly,
        parsed.salary_min_usd,
        parsed.salary_max_usd,
        parsed.salary_parse_status,
        parsed.country_code,
        parsed.country_name,
        parsed.countries,
        parsed.visa_sponsorship,
        scored.is_ml,
        scored.is_deep_learning,
        scored.is_llm,
        scored.n_roles,
        scored.n_ml_roles,
        scored.rule_is_ml,
        scored.rule_is_deep_learning,
        scored.rule_is_llm,
        classified.title_is_ml,
        classified.title_is_deep_learning,
        classified.title_is_llm,
        classified.title_terms,
        classified.text_terms,
        classified.full_text,
        classified.board,
        classified.company_segment,
        classified.first_seen_on,
        classified.last_seen_on,
        classified.closed_on,
        classified.source_url,
        classified.batch_id,
        batches.fetched_at as landed_at
    from classified
    inner join scored on classified.posting_id = scored.posting_id
    left join batches on classified.batch_id = batches.batch_id
    left join parsed on classified.posting_id = parsed.posting_id
    left join duplicates on classified.posting_id = duplicates.posting_id
    where classified.is_live
)

select * from final
