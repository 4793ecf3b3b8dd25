-- Posting x taxonomy term: which terms of the seed `ml_taxonomy` a posting's title and
-- text match (exclusions applied). The text is the full text, or the archive's
-- frameworks list where there is no text. Web addresses are blanked first: they are not
-- words ("mobasi.ai" says nothing about the role).
with

postings as (
    select * from {{ ref('int_postings_unioned') }}
),

taxonomy as (
    select * from {{ ref('ml_taxonomy') }}
),

searchable as (
    select
        posting_id,
        'title' as text_scope,
        regexp_replace(title_text, {{ url_pattern() }}, ' ', 'gi') as search_text
    from postings
    union all
    select
        posting_id,
        'text' as text_scope,
        regexp_replace(coalesce(full_text, skills_text), {{ url_pattern() }}, ' ', 'gi')
            as search_text
    from postings
    where coalesce(full_text, skills_text) is not null
),

matches as (
    select
        searchable.posting_id,
        searchable.text_scope,
        taxonomy.term,
        taxonomy.kind,
        taxonomy.family
    from searchable
    inner join taxonomy
        on
            taxonomy.scope in (searchable.text_scope, 'both')
            and regexp_matches(searchable.search_text, taxonomy.pattern, 'i')
            and not regexp_matches(
                searchable.search_text, coalesce(taxonomy.exclude_pattern, '$^'), 'i'
            )
)

select * from matches
