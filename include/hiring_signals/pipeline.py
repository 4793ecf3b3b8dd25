"""The pipeline steps, shared by the CLI and the Airflow tasks: ingest, build, check, publish."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from hiring_signals.settings import Settings
from hiring_signals.sources import ats_boards, registry
from hiring_signals.sources.base import IngestResult
from hiring_signals.sources.config import load_boards
from hiring_signals.sources.registry import Progress
from hiring_signals.warehouse import BuildChangedError, Snapshot, publish


class PublishBlockedError(RuntimeError):
    """Publishing was refused: the build has not passed the quality gate."""


def ingest_source(
    settings: Settings,
    source: str,
    progress: Progress | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> IngestResult:
    """Fetch one registered source and land what is new; errors are recorded, not raised."""
    spec = registry.get(source)
    try:
        return spec.ingest(settings, progress, since, until)
    except Exception as exc:  # one failing source must not stop the others
        return IngestResult(source, errors=[f"{source}: {type(exc).__name__}: {exc}"])


def ingest_board(settings: Settings, key: str) -> IngestResult:
    """One job board by its key ``<ats>:<token>`` (what Airflow maps over). Live, one
    observation now; in replay, one per recorded day, oldest first."""
    board = next((b for b in load_boards(settings.boards_file) if b.key == key), None)
    if board is None:
        raise ValueError(f"board {key!r} is not in {settings.boards_file}")
    return ats_boards.observe_boards(settings, board.ats, [board])


def latest_gate_result(settings: Settings) -> tuple[Path, dict] | None:
    results = sorted(settings.quality_dir.glob("gate-*.json"))
    if not results:
        return None
    return results[-1], json.loads(results[-1].read_text())


def publish_if_validated(settings: Settings) -> Snapshot:
    """Publish only marts the newest gate result passed: the same contents, compared by
    checksum (a touch of the file, like publish's own checkpoint, is no change)."""
    latest = latest_gate_result(settings)
    if latest is None:
        raise PublishBlockedError("no quality gate result: run `hiring-signals check` first")
    path, result = latest
    validated_at = datetime.fromisoformat(result["validated_at"]).timestamp()
    if not result["success"]:
        raise PublishBlockedError(f"the last quality gate failed ({path}); nothing published")
    stale = "the build changed after its last validation ({}): run `hiring-signals check` first"
    validated = result.get("mart_checksums")
    # Results of older versions carry no checksums: fall back to the file's time.
    if validated is None and validated_at < settings.build_db.stat().st_mtime:
        raise PublishBlockedError(stale.format("newer file"))
    try:
        return publish(
            settings,
            gate_run_id=result.get("run_id", path.stem),
            validated_checksums=validated,
        )
    except BuildChangedError as exc:
        raise PublishBlockedError(stale.format(f"marts {exc}")) from None
