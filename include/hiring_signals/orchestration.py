"""What the Airflow tasks do; the DAG files stay thin and only wire these up.

Assets: one per landing source (``hiring_signals://landing/<source>``) and one for the
published warehouse (``hiring_signals://analytics``). An ingest task emits its asset
event only when new records landed: with nothing new it ends as *skipped*, and skipped
tasks emit no asset events, so the transform DAG is not triggered for nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from airflow.sdk import Asset
from airflow.sdk.exceptions import AirflowSkipException

from hiring_signals.pipeline import SOURCES, ingest_source, publish_if_validated
from hiring_signals.settings import load_settings
from hiring_signals.warehouse import build

log = logging.getLogger(__name__)

LANDING_ASSETS = {source: Asset(f"hiring_signals://landing/{source}") for source in SOURCES}
ANALYTICS_ASSET = Asset("hiring_signals://analytics")
WAREHOUSE_POOL = "duckdb_writer"  # one slot: build.duckdb has a single writer


def ingest_task(source: str, outlet_events: Any) -> dict[str, Any]:
    """Land new records of ``source``; skip (no asset event) when nothing is new."""
    settings = load_settings()
    result = ingest_source(settings, source)
    if result.errors:
        raise RuntimeError("; ".join(result.errors))
    if result.manifest is None:
        raise AirflowSkipException(f"{source}: nothing new since the last batch")
    extra = {"batch_id": result.manifest.batch_id, "records": result.new_records}
    outlet_events[LANDING_ASSETS[source]].extra = extra
    log.info(
        "%s: landed %d records in batch %s", source, result.new_records, result.manifest.batch_id
    )
    return extra


def build_task() -> dict[str, Any]:
    settings = load_settings()
    result = build(settings, on_line=log.info)
    for q in result.quarantined:
        log.warning(
            "quarantined %s %s line %d field %s: %s", q.source, q.file, q.line, q.field, q.reason
        )
    if not result.success:
        raise RuntimeError("dbt build failed:\n" + "\n".join(result.failures))
    return {"quarantined_lines": len(result.quarantined), "seconds": result.elapsed_s}


def check_task() -> str:
    # Imported here: Great Expectations takes seconds to import, DAG parsing should not.
    from hiring_signals.quality.gate import run_gate

    result = run_gate(load_settings())
    summary = "\n".join(result.summary())
    if not result.success:
        raise RuntimeError(f"quality gate failed, publish blocked:\n{summary}")
    log.info("quality gate passed:\n%s", summary)
    return str(result.result_file)


def publish_task(outlet_events: Any) -> str:
    snapshot = publish_if_validated(load_settings())
    outlet_events[ANALYTICS_ASSET].extra = {"snapshot_id": snapshot.snapshot_id}
    return snapshot.snapshot_id
