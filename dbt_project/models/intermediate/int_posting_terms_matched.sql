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

-- The patterns, ready for matching (translated once per term on Postgres).
taxonomy as (
    select
        *,
        {{ prepare_regex('pattern', 'i') }} as match_pattern,
        {{ prepare_regex("coalesce(exclude_pattern, '$^')", 'i') }} as skip_pattern
    from {{ ref('ml_taxonomy') }}
),

texts as (
    select
        posting_id,
        {{ regexp('replace') }}(coalesce(full_text, skills_text), {{ url_pattern() }}, ' ', 'gi')
            as search_text,
        -- The archive's frameworks list is all about the job.
        full_text is null as is_skills_list
    from postings
    where coalesce(full_text, skills_text) is not null
),

-- Computed once: every term is matched against it.
searchable as {{ materialized_cte() }}(
    select
        posting_id,
        'title' as text_scope,
        {{ regexp('replace') }}(title_text, {{ url_pattern() }}, ' ', 'gi') as search_text,
        false as is_duty_sentence
    from postings
    union all
    select
        texts.posting_id,
        'text' as text_scope,
        pieces.sentence_text as search_text,
        texts.is_skills_list
        or {{ regexp('matches') }}(pieces.sentence_text, {{ duty_cue_pattern() }}, 'i')
            as is_duty_sentence
    from texts,
        unnest({{ regexp('split_to_array') }}(texts.search_text, '[.!?]\s+|\n+'))
            as pieces (sentence_text)
),

-- Every term against every text of its scope, the terms driving the loop: a regex
-- engine that caches compiled patterns (Postgres keeps 32, fewer than the taxonomy
-- has) then compiles each pattern once, not once per text.
matches as (
    select
        term_hits.posting_id,
        term_hits.text_scope,
        taxonomy.term,
        taxonomy.kind,
        taxonomy.family,
        bool_or(term_hits.is_duty_sentence) as in_duty_sentence
    from taxonomy
    cross join
        lateral (
            -- The outer taxonomy.* references must stay qualified.
            -- noqa: disable=RF03
            select
                searchable.posting_id,
                searchable.text_scope,
                searchable.is_duty_sentence
            from searchable
            where
                taxonomy.scope in (searchable.text_scope, 'both')
                and {{ regexp_matches_prepared(
                    'searchable.search_text', 'taxonomy.match_pattern', 'i'
                ) }}
                and not {{ regexp_matches_prepared(
                    'searchable.search_text', 'taxonomy.skip_pattern', 'i'
                ) }}
            {{ lateral_fence() }}
            -- noqa: enable=RF03
        ) as term_hits
    group by
        term_hits.posting_id,
        term_hits.text_scope,
        taxonomy.term,
        taxonomy.kind,
        taxonomy.family
)

select * from matches
