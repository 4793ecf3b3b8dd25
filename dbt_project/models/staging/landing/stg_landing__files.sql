-- The ledger of landing data files: one row per batch file of every source, from the
-- build that first listed it (`_loaded_at`). Staging models read the files stamped after
-- their own last successful run (macro new_landing_rows), so a file is read once whether
-- or not its rows survive deduplication. Keyed by batch id, not path, so a data folder
-- can move. Lists files only, reads none. Only DuckDB builds incrementally: elsewhere
-- the ledger is empty.
{{ config(materialized=incremental_or_table(), incremental_strategy='append') }}
with

files as (
    {%- if target.type == 'duckdb' %}
        {%- for source_name in landing_contract() if source_name != 'manifests' %}
            select
                '{{ source_name }}' as source_name,
                listed.file as file_path
            from glob('{{ landing_glob(source_name) }}') as listed
            where listed.file like '%.jsonl.gz'
            {{ 'union all' if not loop.last }}
        {%- endfor %}
    {%- else %}
        select
            cast(null as {{ dbt.type_string() }}) as source_name,
            cast(null as {{ dbt.type_string() }}) as file_path
        where false
    {%- endif %}
),

batches as (
    select
        source_name,
        {{ regexp('extract') }}(file_path, '([^/]+)\.jsonl\.gz$', 1) as batch_id
    from files
),

final as (
    select
        source_name,
        batch_id,
        {{ loaded_at() }} as _loaded_at
    from batches
    {%- if is_incremental() %}
        where batch_id not in (select ledger.batch_id from {{ this }} as ledger)
    {%- endif %}
)

select * from final
