-- Posting x skill: each skill or framework of the taxonomy a posting names, in its title
-- or its text (for the archive: its frameworks list).
with

postings as (
    select * from {{ ref('fct_job_postings') }}
),

matches as (
    select * from {{ ref('int_posting_terms_matched') }}
    where kind in ('skill', 'framework')
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
)

select * from final
