"""Sources register in one place; the pipeline, Airflow, dbt and validation follow it."""

import sys
import textwrap

import pytest

from hiring_signals import orchestration, pipeline
from hiring_signals.landing import validate_landing, write_batch
from hiring_signals.sources import registry

BUILT_IN = ("greenhouse", "lever", "ashby", "hn_discussions", "hn_whoishiring", "reddit")

# A whole new source: one module in the sources package, nothing else.
NEW_SOURCE_MODULE = textwrap.dedent(
    """
    from pydantic import Field, StrictStr

    from hiring_signals.sources.base import IngestResult
    from hiring_signals.sources.registry import LandedRecord, Source

    CALLS = []


    class DemoJobRecord(LandedRecord):
        id: StrictStr
        salary: float | None = None
        tags: list[str] | None = Field(None, alias="_tags")


    def ingest(settings, progress, since, until):
        CALLS.append((since, until))
        return IngestResult("demo_jobs", notices=["demo ran"])


    SOURCES = (Source("demo_jobs", DemoJobRecord, ingest, dag="social", backfill=True),)
    """
)


@pytest.fixture
def new_source(tmp_path, monkeypatch):
    """A source module ``demo_jobs`` dropped into the sources package."""
    import hiring_signals.sources as package

    (tmp_path / "demo_jobs.py").write_text(NEW_SOURCE_MODULE)
    monkeypatch.setattr(package, "__path__", [*package.__path__, str(tmp_path)])
    registry.sources.cache_clear()
    yield sys.modules.get("hiring_signals.sources.demo_jobs")
    registry.sources.cache_clear()
    sys.modules.pop("hiring_signals.sources.demo_jobs", None)


def test_every_built_in_source_is_registered_with_a_dag_and_a_model():
    sources = registry.sources()
    assert set(sources) == set(BUILT_IN)
    assert {s.dag for s in sources.values()} == {"hn", "social", "boards"}
    assert registry.backfill_names() == ("hn_discussions", "hn_whoishiring")
    assert {s.asset_name for s in sources.values() if s.dag == "boards"} == {"ats_boards"}


def test_landing_columns_are_the_record_models_fields_as_duckdb_types():
    columns = registry.landing_columns()
    assert set(columns) == {*BUILT_IN, "manifests"}
    assert columns["greenhouse"]["id"] == "BIGINT"
    assert columns["greenhouse"]["_board"] == "VARCHAR", "aliases are the landed names"
    assert columns["greenhouse"]["departments"] == "JSON"
    assert columns["ashby"]["isRemote"] == "BOOLEAN"
    assert columns["hn_whoishiring"]["observed_at"] == "TIMESTAMPTZ"
    assert columns["hn_discussions"]["_tags"] == "VARCHAR[]"
    assert columns["reddit"]["created_utc"] == "DOUBLE"


def test_a_new_source_module_reaches_pipeline_cli_airflow_dbt_and_validation(new_source, settings):
    assert "demo_jobs" in registry.names()
    assert "demo_jobs" in registry.backfill_names()

    result = pipeline.ingest_source(settings, "demo_jobs")
    assert result.notices == ["demo ran"]

    asset = orchestration.landing_asset("demo_jobs")
    assert asset.uri == "hiring_signals://landing/demo_jobs"
    assert asset in orchestration.landing_assets()

    assert registry.file_globs()["HS_FILES_DEMO_JOBS"] == "demo_jobs/dt=*/*.jsonl.gz"
    assert registry.landing_columns()["demo_jobs"] == {
        "id": "VARCHAR",
        "salary": "DOUBLE",
        "_tags": "VARCHAR[]",
    }

    write_batch(
        settings.landing_dir,
        "demo_jobs",
        [{"id": "a", "salary": 1.5}, {"id": 7}],
        urls=["http://example.invalid/jobs"],
        cursor_before={},
        cursor_after={},
        method="demo",
    )
    problems = validate_landing(settings.landing_dir, settings.quarantine_dir, registry.models())
    assert [(p.source, p.line, p.field) for p in problems] == [("demo_jobs", 2, "id")]


def test_a_new_source_gets_an_ingest_task_in_its_dag(new_source):
    from airflow.sdk import dag

    @dag(dag_id="registry_demo", schedule=None)
    def demo():
        orchestration.ingest_source_tasks("social")

    tasks = {t.task_id: t for t in demo().tasks}
    assert set(tasks) == {"ingest_hn_discussions", "ingest_reddit", "ingest_demo_jobs"}
    assert [o.uri for o in tasks["ingest_demo_jobs"].outlets] == [
        "hiring_signals://landing/demo_jobs"
    ]


def test_an_unknown_source_is_refused_with_the_known_ones(settings):
    with pytest.raises(ValueError, match="unknown source 'nope'; known sources: greenhouse"):
        pipeline.ingest_source(settings, "nope")


def test_a_source_declared_twice_is_refused(new_source, tmp_path, monkeypatch):
    import hiring_signals.sources as package

    twin = tmp_path / "twin"
    twin.mkdir()
    (twin / "demo_jobs_again.py").write_text(NEW_SOURCE_MODULE)
    monkeypatch.setattr(package, "__path__", [*package.__path__, str(twin)])
    registry.sources.cache_clear()
    try:
        with pytest.raises(ValueError, match="source 'demo_jobs' is declared twice"):
            registry.sources()
    finally:
        sys.modules.pop("hiring_signals.sources.demo_jobs_again", None)
