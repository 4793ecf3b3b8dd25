-- Posting x skill: each skill or framework of the taxonomy a posting names, in its title
-- or its text.
-- Once built, only the postings changed since this model last ran, each with a
-- placeholder row (no skill) so a posting that lost its skills loses its rows
-- (strategy replace_keys, macros/incremental.sql).
-- depends_on: {{ ref('int_postings_unioned') }}
{{
    config(
        materialized=incremental_or_table(),
        unique_key='posting_id',
        incremental_strategy='replace_keys',
        placeholder_column='skill'
    )
}}
with

{% if is_incremental() -%}
changed as (
    select posting_id from {{ ref('int_postings_unioned') }}
    where _loaded_at > {{ last_run_of_this() }}
),

{% endif -%}
postings as (
    select * from {{ ref('fct_job_postings') }}
    {%- if is_incremental() %}
        where posting_id in (select changed.posting_id from changed)
    {%- endif %}
),

matches as (
    select * from {{ ref('int_posting_terms_matched') }}
    where kind in ('skill', 'framework')
    {%- if is_incremental() %}
        and posting_id in (select changed.posting_id from changed)
    {%- endif %}
),

per_skill as (
    select
        posting_id,
        term as skill,
        {{ any_value_of('kind') }} as skill_kind,
        {{ any_value_of('family') }} as skill_family,
        bool_or(text_scope = 'title') as in_title,
        bool_or(text_scope = 'text') as in_text
    from matches
    group by posting_id, term
),

final as (
    select
        per_skill.posting_id,
        per_skill.skill,
        per_skill.skill_kind,
        per_skill.skill_family,
        per_skill.in_title,
        per_skill.in_text,
        postings.source_name,
        postings.ingest_method,
        postings.posting_month
    from per_skill
    inner join postings on per_skill.posting_id = postings.posting_id
    {%- if is_incremental() %}
        -- By name: every other column of a placeholder is null.
        union all by name
        select posting_id from changed
    {%- endif %}
)

select * from final
