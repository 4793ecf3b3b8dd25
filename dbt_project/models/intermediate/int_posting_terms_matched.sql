-- Posting x taxonomy term: which terms of the seed `ml_taxonomy` a posting's title and
-- full text match (exclusions applied). `in_duty_sentence` says whether a text match
-- of an LLM-family term also sits in a sentence about the job ("you will build RAG
-- pipelines", not "we are an LLM company").
-- Each term's pattern is written in as a constant (macro seed_rows), one branch per
-- term. Web addresses are blanked first: they are not words ("mobasi.ai" says nothing
-- about the role).
-- Most postings match no term at all: one scan with every pattern in one alternation
-- (RE2 runs it as a single automaton) keeps only the candidates, and each term's own
-- pattern then runs on those alone. (Unused only while linting: no seed table.)
-- depends_on: {{ ref('ml_taxonomy') }}
{%- set terms = seed_rows('ml_taxonomy', 'term') %}
{#- Filters only, no `do`: Cosmos renders the models with plain Jinja to read the DAG. #}
{%- set any_term = terms | map(attribute='pattern') | list %}
{#- Once built, only the postings changed since this model last ran are matched; each
    also sends a placeholder row (no term) so that its old matches are deleted even when
    it matches nothing now (strategy replace_keys, macros/incremental.sql). #}
{{
    config(
        materialized=incremental_or_table(),
        unique_key='posting_id',
        incremental_strategy='replace_keys',
        placeholder_column='term'
    )
}}
with

postings as (
    select * from {{ ref('int_postings_unioned') }}
    {%- if is_incremental() %}
        where _loaded_at > {{ last_run_of_this() }}
    {%- endif %}
),

searchable as (
    select
        posting_id,
        'title' as text_scope,
        {{ regexp('replace') }}(title_text, {{ url_pattern() }}, ' ', 'gi') as search_text
    from postings
    union all
    select
        posting_id,
        'text' as text_scope,
        {{ regexp('replace') }}(full_text, {{ url_pattern() }}, ' ', 'gi') as search_text
    from postings
    where full_text is not null
),

candidates as materialized (  -- noqa: ST03
    select *
    from searchable
    {%- if any_term %}
        where {{ regexp('matches') }}(
            search_text, {{ sql_string('(?:' ~ any_term | join(')|(?:') ~ ')') }}, 'i'
        )
    {%- endif %}
),

matches as materialized (
    {%- for term in terms %}
        select
            posting_id,
            text_scope,
            {{ sql_string(term.term) }} as term,
            {{ sql_string(term.kind) }} as kind,
            {{ sql_string(term.family) }} as family,  -- noqa: RF04
            {{ sql_string(term.also_counts_for) if term.also_counts_for else 'null::varchar' }}
                as also_counts_for
        from candidates
        where
            {{ sql_string(term.scope) }} in (text_scope, 'both')
            and {{ regexp('matches') }}(search_text, {{ sql_string(term.pattern) }}, 'i')
            {%- if term.exclude_pattern %}
                and not {{ regexp('matches') }}(
                    search_text, {{ sql_string(term.exclude_pattern) }}, 'i'
                )
            {%- endif %}
        union all
    {%- endfor %}
    select
        null::varchar as posting_id,
        null::varchar as text_scope,
        null::varchar as term,
        null::varchar as kind,
        null::varchar as family,  -- noqa: RF04
        null::varchar as also_counts_for
    where false
),

-- Sentences that speak about the job, of full texts with an LLM-family match (the only
-- matches they qualify; such a text is a candidate). The texts are never joined to
-- `postings` again: at 10M postings that join of full texts spilled over 30 GB to disk.
-- (Unused only when the seed table does not exist, as while linting.)
duty_sentences as (  -- noqa: ST03
    select
        posting_id,
        pieces.sentence_text
    from candidates
    cross join
        unnest({{ regexp('split_to_array') }}(search_text, '[.!?]\s+|\n+'))
            as pieces (sentence_text)
    where
        text_scope = 'text'
        and posting_id in (
            select matches.posting_id
            from matches
            where matches.text_scope = 'text' and matches.family = 'llm'
        )
        and {{ regexp('matches') }}(pieces.sentence_text, {{ duty_cue_pattern() }}, 'i')
),

in_duty as (
    {%- for term in terms if term.family == 'llm' and term.scope != 'title' %}
        select distinct
            posting_id,
            {{ sql_string(term.term) }} as term
        from duty_sentences
        where {{ regexp('matches') }}(sentence_text, {{ sql_string(term.pattern) }}, 'i')
        union all
    {%- endfor %}
    select
        null::varchar as posting_id,
        null::varchar as term
    where false
),

final as (
    select
        matches.posting_id,
        matches.text_scope,
        matches.term,
        matches.kind,
        matches.family,
        matches.also_counts_for,
        matches.text_scope = 'text' and in_duty.term is not null as in_duty_sentence,
        {{ loaded_at() }} as _loaded_at
    from matches
    left join in_duty
        on
            matches.posting_id = in_duty.posting_id
            and matches.term = in_duty.term
    {%- if is_incremental() %}
    -- By name: every other column of a placeholder is null, whatever columns there are.
    union all by name
    select posting_id from postings
    {%- endif %}
)

select * from final
