-- The skills and frameworks the taxonomy knows, with the family each counts for.
with

taxonomy as (
    select * from {{ ref('ml_taxonomy') }}
),

final as (
    select
        term as skill,
        kind as skill_kind,
        family,
        pattern,
        exclude_pattern,
        note
    from taxonomy
    where kind in ('skill', 'framework')
)

select * from final
