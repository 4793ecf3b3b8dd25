"""Historical HN "Who is hiring?" postings (Dec 2022 to Oct 2025) from a SQLite archive.

The archive holds fields that a language model extracted upstream from each comment
(company, job title, salary, remote, location, frameworks) but not the comment text,
so its records carry ``method = "archive_llm_extracted"``. The cursor is the archive
file's sha256: the same file lands once.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

from hiring_signals.landing import quarantine_fetched, read_manifests, write_batch
from hiring_signals.settings import Settings
from hiring_signals.sources.base import IngestResult, implausible_date

SOURCE = "hn_archive"
METHOD = "archive_llm_extracted"
REQUIRED_FIELDS: dict[str, type] = {"id": int, "post_date": str}
COLUMNS = (
    "post_link_id",
    "post_date",
    "company",
    "job_title",
    "employment_type",
    "salary",
    "remote",
    "city",
    "country",
    "languages_frameworks",
    "remote_rules",
    "how_to_apply",
    "post_username",
)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_archive(path: Path) -> list[dict[str, Any]]:
    """Every archive row as a landing record, ordered by comment id."""
    if not path.is_file():
        raise FileNotFoundError(f"{SOURCE}: archive database not found: {path}")
    uri = f"file:{path}?mode=ro&immutable=1"
    with sqlite3.connect(uri, uri=True) as con:
        rows = con.execute(f"select {', '.join(COLUMNS)} from jobs").fetchall()
    records = []
    for row in rows:
        record = dict(zip(COLUMNS, row, strict=True))
        post_id = record.pop("post_link_id")
        record["id"] = int(post_id) if str(post_id).isdigit() else None
        record["source_id"] = post_id
        records.append(record)
    return sorted(records, key=lambda r: (r["id"] is None, r["id"] or 0))


def _record_problem(
    record: dict[str, Any], first_by_id: dict[int, dict[str, Any]]
) -> tuple[str, str] | None:
    """(field, reason) when an archive row cannot be landed. Rows without a numeric id
    land and are quarantined by the landing check, which names their line."""
    post_id = record["id"]
    if post_id is not None:
        if post_id in first_by_id:
            same = first_by_id[post_id] == record
            return "id", "row repeated" if same else "duplicate id with different content"
        first_by_id[post_id] = record
    reason = implausible_date(record.get("post_date"))
    return ("post_date", reason) if reason else None


def ingest(settings: Settings) -> IngestResult:
    """Land the archive once per distinct file content."""
    digest = file_sha256(settings.archive_db)
    seen = {m.cursor_after.get("sha256") for m in read_manifests(settings.landing_dir, SOURCE)}
    if digest in seen:
        return IngestResult(SOURCE)
    url = settings.archive_db.resolve().as_uri()
    records = []
    notices = []
    first_by_id: dict[int, dict[str, Any]] = {}
    for record in read_archive(settings.archive_db):
        problem = _record_problem(record, first_by_id)
        if problem:
            quarantine_fetched(settings.quarantine_dir, SOURCE, url, *problem, record)
            notices.append(
                f"{SOURCE}: row {record['source_id']!r} quarantined: {problem[0]}: {problem[1]}"
            )
        else:
            records.append(record)
    manifest = write_batch(
        settings.landing_dir,
        SOURCE,
        records,
        urls=[url],
        cursor_before={},
        cursor_after={"sha256": digest},
        method=METHOD,
    )
    return IngestResult(SOURCE, [manifest] if manifest else [], notices=notices)
