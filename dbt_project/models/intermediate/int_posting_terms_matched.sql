-- Posting x taxonomy term: which terms of the seed `ml_taxonomy` a posting's title and
-- text match (exclusions applied). The text is the full text, or the archive's
-- frameworks list where there is no text; it is matched sentence by sentence so the
-- classifier can tell a sentence about the job (`in_duty_sentence`; every item of a
-- frameworks list counts as one) from one about the company. Web addresses are
-- blanked first: they are not words ("mobasi.ai" says nothing about the role).
with

postings as (
    select * from {{ ref('int_postings_unioned') }}
),

taxonomy as (
    select * from {{ ref('ml_taxonomy') }}
),

texts as (
    select
        posting_id,
        regexp_replace(coalesce(full_text, skills_text), {{ url_pattern() }}, ' ', 'gi')
            as search_text,
        -- The archive's frameworks list is all about the job.
        full_text is null as is_skills_list
    from postings
    where coalesce(full_text, skills_text) is not null
),

searchable as (
    select
        posting_id,
        'title' as text_scope,
        regexp_replace(title_text, {{ url_pattern() }}, ' ', 'gi') as search_text,
        false as is_duty_sentence
    from postings
    union all
    select
        texts.posting_id,
        'text' as text_scope,
        pieces.sentence_text as search_text,
        texts.is_skills_list
        or regexp_matches(pieces.sentence_text, {{ duty_cue_pattern() }}, 'i') as is_duty_sentence
    from texts,
        unnest(regexp_split_to_array(texts.search_text, '[.!?]\s+|\n+')) as pieces (sentence_text)
),

matches as (
    select
        searchable.posting_id,
        searchable.text_scope,
        taxonomy.term,
        taxonomy.kind,
        taxonomy.family,
        bool_or(searchable.is_duty_sentence) as in_duty_sentence
    from searchable
    inner join taxonomy
        on
            taxonomy.scope in (searchable.text_scope, 'both')
            and regexp_matches(searchable.search_text, taxonomy.pattern, 'i')
            and not regexp_matches(
                searchable.search_text, coalesce(taxonomy.exclude_pattern, '$^'), 'i'
            )
    group by
        searchable.posting_id,
        searchable.text_scope,
        taxonomy.term,
        taxonomy.kind,
        taxonomy.family
)

select * from matches
