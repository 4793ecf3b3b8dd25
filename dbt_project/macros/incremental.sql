{#- Incremental builds (issue 9): a day of new landing batches costs a day's work.

    How models find their new work:
    - Staging models of posting sources read only the landing files the file ledger
      (stg_landing__files) recorded after their own last successful run (macro
      new_landing_rows): each file once, whatever becomes of its rows.
    - Incremental staging of HN comments and intermediate models stamp the rows they
      write with `_loaded_at`, the start of the dbt invocation that wrote them (macro
      loaded_at; int_postings_classified passes its parent's stamp on). A model
      downstream processes the rows of its parents stamped after its own last
      successful run (macro last_run_of_this, from meta.dbt_node_runs, written by
      record_dbt_run). A model whose last run was not recorded processes more again:
      the watermark can only be too old, never too new.
    - Marts carry no `_loaded_at` (their rows must equal a rebuild's, column for column).

    Incremental only on DuckDB: on other targets these models are plain tables
    (macro incremental_or_table). A change of the project's models, macros or seeds
    rebuilds everything (hiring_signals.warehouse.reset_if_project_changed). -#}

{#- `incremental` on DuckDB, `table` elsewhere (Postgres rebuilds every time). -#}
{% macro incremental_or_table() -%}
    {{ return('incremental' if target.type == 'duckdb' else 'table') }}
{%- endmacro %}

{#- The start of this dbt invocation, as the stamp of the rows a model writes. -#}
{% macro loaded_at() -%}
    cast('{{ run_started_at.isoformat() }}' as timestamptz)
{%- endmacro %}

{#- The rows of `relation` and, in an incremental run, the rows this model already holds
    for the same `key`: a record landed again competes with its first landing, which an
    earlier build loaded. -#}
{% macro with_earlier_landings(relation, key) -%}
    select * from {{ relation }}
    {%- if is_incremental() %}
        union all by name
        select * exclude (_loaded_at) from {{ this }}
        where {{ key }} in (select {{ relation }}.{{ key }} from {{ relation }})
    {%- endif %}
{%- endmacro %}

{#- When this model last ran successfully (a timestamptz literal), or -infinity. -#}
{% macro last_run_of_this() -%}
    {%- set runs = adapter.get_relation(
        database=this.database, schema='meta', identifier='dbt_node_runs'
    ) if execute else none -%}
    {%- set last = none -%}
    {%- if runs is not none -%}
        {%- set result = run_query(
            "select max(cast(run_started_at as timestamptz)) from " ~ runs
            ~ " where unique_id = '" ~ model.unique_id ~ "'"
        ) -%}
        {%- set last = result.columns[0].values()[0] -%}
    {%- endif -%}
    {%- if last is none -%}
        cast('-infinity' as timestamptz)
    {%- else -%}
        cast('{{ last.isoformat() }}' as timestamptz)
    {%- endif -%}
{%- endmacro %}

{#- The glob of a source's landing data files (HS_FILES_<NAME>, set by hiring-signals). -#}
{% macro landing_glob(table_name) -%}
    {{ env_var(
        'HS_FILES_' ~ table_name | upper,
        '../data/landing/' ~ table_name ~ '/dt=*/*.jsonl.gz'
    ) }}
{%- endmacro %}

{#- The rows of the landing files of `table_name` this model has not read yet: the files
    whose batches the ledger (stg_landing__files) stamped after this model's last
    successful run, as an explicit file list for read_json, so DuckDB opens only those
    files. Whether a file's rows survive the model's deduplication does not matter: a
    file is read once. The watermark can only be too old (a run killed before dbt
    recorded it), so batches the model holds already are left out too: an append model
    never loads a batch twice. In a full build, every file. -#}
{% macro new_landing_rows(table_name) -%}
    {#- Outside the branch below, so that dbt sees the dependency when it parses. -#}
    {%- set ledger = ref('stg_landing__files') -%}
    {%- if not (is_incremental() and target.type == 'duckdb') -%}
        {{ landing_source(table_name) }}
    {%- else -%}
        {%- set files_query -%}
            select listed.file
            from glob('{{ landing_glob(table_name) }}') as listed
            where
                listed.file like '%.jsonl.gz'
                and regexp_extract(listed.file, '([^/]+)\.jsonl\.gz$', 1) in (
                    select ledger.batch_id
                    from {{ ledger }} as ledger
                    where
                        ledger.source_name = '{{ table_name }}'
                        and ledger._loaded_at > {{ last_run_of_this() }}
                        and ledger.batch_id not in (
                            select distinct loaded.batch_id from {{ this }} as loaded
                        )
                )
            order by listed.file
        {%- endset -%}
        {%- set files = run_query(files_query).columns[0].values() | list if execute else [] -%}
        {%- set columns = landing_contract()[table_name] -%}
        {%- if files -%}
            select *
            from read_json(
                [{%- for file in files %}'{{ file }}'{{ ', ' if not loop.last }}{% endfor -%}],
                format = 'newline_delimited', ignore_errors = true, filename = true,
                columns = {{ columns }}
            )
        {%- else -%}
            select
            {%- for name, type in columns.items() %}
                cast(null as {{ type }}) as {{ adapter.quote(name) }},
            {%- endfor %}
                cast(null as varchar) as filename
            where false
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- Incremental strategy `replace_keys`: every key of the new rows is deleted, then
    the new rows are inserted except placeholders, rows whose column
    config `placeholder_column` is null. A model that emits zero or more rows per key
    (term matches, skills) sends one placeholder per key it processed, so a key that
    no longer matches anything loses its old rows. -#}
{% macro get_incremental_replace_keys_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set source = arg_dict['temp_relation'] -%}
    {%- set key = arg_dict['unique_key'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    {%- set placeholder = config.require('placeholder_column') -%}
    delete from {{ target }}
    where {{ key }} in (select {{ key }} from {{ source }});
    insert into {{ target }} ({{ columns }})
    select {{ columns }}
    from {{ source }}
    where {{ placeholder }} is not null
{%- endmacro %}
