-- One row per committed landing batch (its manifest), across sources.
with

source as (
    {{ landing_source('manifests') }}
),

renamed as (
    select
        batch_id,
        source as source_name,
        method as ingest_method,
        fetched_at,
        record_count,
        sha256 as data_sha256,
        data_file,
        coalesce(status, 'ok') as batch_status,
        scope as batch_scope,
        snapshot_batch_id,
        error as batch_error
    from source
)

select * from renamed
