"""A changed dbt project (a taxonomy edit, a model change) makes the next build a full one."""

import dataclasses

import duckdb

from hiring_signals.warehouse import reset_if_project_changed


def built_schemas(db) -> set[str]:
    with duckdb.connect(str(db)) as con:
        return {
            schema
            for (schema,) in con.execute(
                "select distinct table_schema from information_schema.tables"
            ).fetchall()
        }


def build_tables(db) -> None:
    with duckdb.connect(str(db)) as con:
        for schema in ("staging", "intermediate", "marts", "meta"):
            con.execute(f"create schema if not exists {schema}")
            con.execute(f"create or replace table {schema}.t as select 1 as x")


def test_changed_seed_drops_the_built_models_once_and_keeps_the_run_log(settings, tmp_path):
    project = tmp_path / "dbt_project"
    for name, text in {
        "dbt_project.yml": "name: p\n",
        "models/m.sql": "select 1 as x\n",
        "macros/k.sql": "{% macro k() %}1{% endmacro %}\n",
        "seeds/ml_taxonomy.csv": "term,pattern\npytorch,pytorch\n",
    }.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    settings = dataclasses.replace(settings, dbt_project_dir=project)
    settings.data_dir.mkdir(parents=True)
    build_tables(settings.build_db)

    assert reset_if_project_changed(settings), "no fingerprint yet: a full build"
    assert built_schemas(settings.build_db) == {"meta"}
    build_tables(settings.build_db)
    assert not reset_if_project_changed(settings), "same project: incremental"
    assert built_schemas(settings.build_db) == {"staging", "intermediate", "marts", "meta"}

    (project / "seeds/ml_taxonomy.csv").write_text("term,pattern\npytorch,pytorch\njax,jax\n")
    assert reset_if_project_changed(settings)
    assert built_schemas(settings.build_db) == {"meta"}
