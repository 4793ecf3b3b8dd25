-- Every committed landing batch: what arrived, when, and how many records.
with

batches as (
    select * from {{ ref('stg_landing__batches') }}
),

final as (
    select
        batch_id,
        source_name,
        ingest_method,
        fetched_at,
        record_count,
        data_sha256
    from batches
)

select * from final
