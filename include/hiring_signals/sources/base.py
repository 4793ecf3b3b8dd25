"""What every source's ingest returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

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
