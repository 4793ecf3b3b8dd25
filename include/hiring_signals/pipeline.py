"""The pipeline steps, shared by the CLI and the Airflow tasks: ingest, build, check, publish."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from hiring_signals.http import HttpClient
from hiring_signals.settings import Settings
from hiring_signals.sources import hn_archive, hn_whoishiring
from hiring_signals.sources.hn_whoishiring import IngestResult
from hiring_signals.warehouse import Snapshot, publish

SOURCES = (hn_whoishiring.SOURCE, hn_archive.SOURCE)
Progress = Callable[[str, int, int], None]


class PublishBlockedError(RuntimeError):
    """Publishing was refused: the build has not passed the quality gate."""


def ingest_source(
    settings: Settings, source: str, progress: Progress | None = None
) -> IngestResult:
    """Fetch one source and land what is new; errors are recorded, not raised."""
    try:
        if source == hn_whoishiring.SOURCE:
            with HttpClient(settings) as client:
                return hn_whoishiring.ingest(settings, client, progress)
        if source == hn_archive.SOURCE:
            return hn_archive.ingest(settings)
    except Exception as exc:  # one failing source must not stop the others
        return IngestResult(source, None, errors=[f"{source}: {type(exc).__name__}: {exc}"])
    raise ValueError(f"unknown source {source!r}; known sources: {', '.join(SOURCES)}")


def latest_gate_result(settings: Settings) -> tuple[Path, dict] | None:
    results = sorted(settings.quality_dir.glob("gate-*.json"))
    if not results:
        return None
    return results[-1], json.loads(results[-1].read_text())


def publish_if_validated(settings: Settings) -> Snapshot:
    """Publish only a build whose newest gate result passed after the build was written."""
    latest = latest_gate_result(settings)
    if latest is None:
        raise PublishBlockedError("no quality gate result: run `hiring-signals check` first")
    path, result = latest
    validated_at = datetime.fromisoformat(result["validated_at"]).timestamp()
    if not result["success"]:
        raise PublishBlockedError(f"the last quality gate failed ({path}); nothing published")
    if validated_at < settings.build_db.stat().st_mtime:
        raise PublishBlockedError(
            "the build changed after its last validation: run `hiring-signals check` first"
        )
    return publish(settings)
