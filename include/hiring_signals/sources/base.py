"""What every source's ingest returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hiring_signals.http import BadResponseError
from hiring_signals.landing import Manifest, quarantine_fetched


@dataclass
class IngestResult:
    """Manifests written by one ingest of one source (or one board), and what went wrong.

    ``errors`` fail the run (a board or query could not be fetched); ``notices`` are
    reported but expected (a board that disappeared, records quarantined).
    """

    source: str
    manifests: list[Manifest] = field(default_factory=list)
    requests: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def new_records(self) -> int:
        return sum(m.record_count for m in self.manifests)

    @property
    def changed(self) -> bool:
        """New information landed: records, or a board found empty or gone."""
        return any(m.status in ("ok", "empty", "gone") for m in self.manifests)

    @property
    def batch_ids(self) -> list[str]:
        return [m.batch_id for m in self.manifests if m.data_file]

    def merge(self, other: IngestResult) -> None:
        self.manifests += other.manifests
        self.requests += other.requests
        self.errors += other.errors
        self.notices += other.notices
        for key, count in other.skipped.items():
            self.skipped[key] = self.skipped.get(key, 0) + count


def ingest_each(
    source: str,
    items: list[Any],
    ingest_one: Callable[[Any], IngestResult],
    label: Callable[[Any], str],
    progress: Callable[[str, int, int], None] | None,
) -> IngestResult:
    """One result of ``ingest_one`` over the configured queries (or searches) in turn,
    reporting progress by each one's ``label``."""
    result = IngestResult(source)
    for done, item in enumerate(items, start=1):
        result.merge(ingest_one(item))
        if progress:
            progress(label(item), done, len(items))
    return result


def record_fetch_failure(
    result: IngestResult, quarantine_dir: Path, label: str, exc: Exception
) -> IngestResult:
    """Report a query that could not be fetched; keep a bad body in quarantine.

    Nothing of the query lands, so the next run starts again from the same cursor.
    """
    if isinstance(exc, BadResponseError):
        quarantine_fetched(
            quarantine_dir, result.source, exc.url, "<response>", exc.reason, exc.body
        )
    result.errors.append(f"{label}: {type(exc).__name__}: {exc}")
    return result


# Dates a posting cannot have: before the web job boards we read existed, or later than
# the fetch (a day of slack for clock skew and time zones).
EARLIEST_DATE = datetime(2000, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)


def _as_datetime(value: Any, unit: str) -> datetime | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if unit == "ms" else value
        return datetime.fromtimestamp(seconds, UTC)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def implausible_date(value: Any, unit: str = "s") -> str | None:
    """Why a record's date cannot be true (``None`` when it can, or is not a date).

    ``unit`` says how a number is read: epoch seconds (``s``) or milliseconds (``ms``).
    Text that is not a date is left to the models, which read it as unknown.
    """
    try:
        when = _as_datetime(value, unit)
    except (OverflowError, OSError, ValueError):
        return f"date {value!r} is out of range"
    if when is None:
        return None
    if when < EARLIEST_DATE:
        return f"date {when:%Y-%m-%d} is before {EARLIEST_DATE:%Y-%m-%d}"
    if when > datetime.now(UTC) + FUTURE_SLACK:
        return f"date {when:%Y-%m-%d} is in the future"
    return None
