{#- Which dbt invocation built each model and seed. Publish reads the newest row per
    node into meta.snapshots, so a snapshot names the dbt runs behind it even when
    Airflow builds every model in a task (and an invocation) of its own. -#}
{% macro record_dbt_run(results) %}
    {%- if execute and flags.WHICH in ('build', 'run', 'seed') -%}
        {%- set rows = [] -%}
        {%- for result in results -%}
            {%- if result.node.resource_type in ('model', 'seed') and result.status == 'success' -%}
                {%- do rows.append(
                    "('" ~ invocation_id ~ "', '" ~ result.node.unique_id ~ "', '"
                    ~ run_started_at.isoformat() ~ "')"
                ) -%}
            {%- endif -%}
        {%- endfor -%}
        create schema if not exists meta;
        create table if not exists meta.dbt_node_runs (
            invocation_id varchar, unique_id varchar, run_started_at varchar
        );
        {% if rows -%}
            insert into meta.dbt_node_runs values {{ rows | join(', ') }};
        {%- endif %}
    {%- endif -%}
{% endmacro %}
