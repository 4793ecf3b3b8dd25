"""Rebuild eight real days of AI companies' job boards as replayable API answers.

Input: the daily board scrapes of ReedRawlings/AIJobs @ 4f840ef,
``../shared/data/ats_real/aijobs_daily_snapshots/snapshots/<date>.csv``, 2025-09-10 …
09-17. Each row is one job the scraper has seen; ``raw_data`` keeps the board's own
record as a Python repr (read with :func:`ast.literal_eval`, never ``eval``). Rows with
status ``closed`` stay in later files (the snapshots are cumulative), so a day's board
is its rows *not* closed that day; their ``last_seen`` is the day's scrape time.

Output: ``replay/ats_boards.jsonl.gz``: one line per board and day, the answer of the
documented endpoint the ingest calls (``include/hiring_signals/sources/ats_boards.py``),
with the scrape time as its ``Date`` header, so a replay observes each day on its own
date; and ``replay/boards.yaml``, the boards. Every line's ``provenance`` names its
snapshot file and says it was rebuilt from ``raw_data``:

- Greenhouse ``/v1/boards/{token}/jobs?content=true``: ``{"jobs": [...], "meta":
  {"total": n}}``. Each job is its ``raw_data`` unchanged. The scraper did not ask for
  ``content=true``: the records have no ``content``, ``departments`` or ``offices``, and
  none is invented. ``meta.total`` is the number of jobs of the day (reconstructed).
- Ashby ``/posting-api/job-board/{token}?includeCompensation=true``: ``{"apiVersion":
  "1", "jobs": [...]}``. The scraper read Ashby's job-board (GraphQL) records, whose
  names differ from the posting API's: each job keeps every raw field and gains the
  posting API's names for what the raw record says (``department`` = departmentName,
  ``team`` = teamName, ``location`` = locationName, ``publishedAt`` = publishedDate,
  ``isRemote`` = workplaceType is Remote, ``jobUrl`` = the row's job_url,
  ``compensation.compensationTierSummary`` = compensationTierSummary). No description
  and no compensation components exist in the records: none is invented.
- Lever: the two Lever rows (and one OpenAI Greenhouse row) have an empty ``raw_data``
  and placeholder ids (123, 456, 789) from the scraper's first run on 2025-08-21, closed
  ever since: no real Lever record exists here, so no Lever board is written.

Rows are kept in the snapshot's order; no record is edited.

Usage: python sample_data/build_ats_replay.py [../shared/data]
"""

from __future__ import annotations

import ast
import csv
import gzip
import json
import sys
from collections import defaultdict
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SNAPSHOTS = Path("ats_real/aijobs_daily_snapshots/snapshots")
ORIGIN = "ReedRawlings/AIJobs@4f840ef outputs/snapshots"
OUT = REPO / "sample_data" / "replay"
REPLAY_FILE = "ats_boards.jsonl.gz"

# (source, board URL) of the scrape -> the ingest's board: ATS, token, company, segment.
# Company names follow config/boards.yaml where the board is listed there.
BOARDS = {
    ("greenhouse", "https://boards.greenhouse.io/anthropic"): (
        "greenhouse",
        "anthropic",
        "Anthropic",
        "ai_lab",
    ),
    ("greenhouse", "https://boards.greenhouse.io/deepmind"): (
        "greenhouse",
        "deepmind",
        "Google DeepMind",
        "ai_lab",
    ),
    ("greenhouse", "https://boards.greenhouse.io/scaleai"): (
        "greenhouse",
        "scaleai",
        "Scale AI",
        "ml_infra",
    ),
    ("greenhouse", "https://boards.greenhouse.io/perplexityai"): (
        "greenhouse",
        "perplexityai",
        "Perplexity AI",
        "ai_lab",
    ),
    ("greenhouse", "https://boards.greenhouse.io/runwayml"): (
        "greenhouse",
        "runwayml",
        "Runway",
        "ai_lab",
    ),
    ("greenhouse", "https://boards.greenhouse.io/inflectionai"): (
        "greenhouse",
        "inflectionai",
        "Inflection AI",
        "ai_lab",
    ),
    ("ashby", "https://jobs.ashbyhq.com/openai"): ("ashby", "openai", "OpenAI", "ai_lab"),
}
ENDPOINTS = {
    "greenhouse": ("/v1/boards/{token}/jobs", "content=true"),
    "ashby": ("/posting-api/job-board/{token}", "includeCompensation=true"),
}


def ashby_job(raw: dict[str, Any], job_url: str) -> dict[str, Any]:
    """A job-board record with the posting API's names added for what it says."""
    mapped: dict[str, Any] = {
        "department": raw.get("departmentName"),
        "team": raw.get("teamName"),
        "location": raw.get("locationName"),
        "publishedAt": raw.get("publishedDate"),
        "isRemote": raw.get("workplaceType") == "Remote",
        "jobUrl": job_url or None,
    }
    if raw.get("compensationTierSummary") is not None:
        mapped["compensation"] = {"compensationTierSummary": raw["compensationTierSummary"]}
    return raw | {k: v for k, v in mapped.items() if k not in raw}


def read_day(path: Path) -> dict[tuple[str, str], tuple[datetime, list[dict[str, Any]]]]:
    """Board -> (scrape time, jobs as the board listed them) of one snapshot file."""
    csv.field_size_limit(sys.maxsize)
    jobs: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    seen_at: dict[tuple[str, str], datetime] = {}
    with path.open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            board = (row["source"], row["source_url"])
            if row["status"] == "closed" or not row["raw_data"] or board not in BOARDS:
                continue
            raw = ast.literal_eval(row["raw_data"])
            ats = BOARDS[board][0]
            jobs[board].append(ashby_job(raw, row["job_url"]) if ats == "ashby" else raw)
            # The scraper's times are UTC (GitHub Actions) without an offset.
            last_seen = datetime.fromisoformat(row["last_seen"]).replace(tzinfo=UTC)
            seen_at[board] = max(seen_at.get(board, last_seen), last_seen)
    return {board: (seen_at[board], jobs[board]) for board in jobs}


def day_lines(path: Path) -> list[dict[str, Any]]:
    lines = []
    for board, (seen_at, jobs) in sorted(read_day(path).items()):
        ats, token, _company, _segment = BOARDS[board]
        endpoint, query = ENDPOINTS[ats]
        if ats == "greenhouse":
            body: dict[str, Any] = {"jobs": jobs, "meta": {"total": len(jobs)}}
        else:
            body = {"apiVersion": "1", "jobs": jobs}
        lines.append(
            {
                "path": endpoint.format(token=token),
                "query": query,
                "status": 200,
                "headers": {"Date": format_datetime(seen_at.replace(microsecond=0), usegmt=True)},
                "provenance": (
                    f"reconstructed: rebuilt from the raw_data column of {ORIGIN}/{path.name} "
                    f"(the {len(jobs)} jobs of this board not closed that day; see "
                    "ats_boards.PROVENANCE.md)"
                ),
                "body": body,
            }
        )
    return lines


def write_lines(out: Path, lines: list[dict[str, Any]]) -> None:
    """One recorded answer per line, oldest day first; the same input, the same bytes."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(out, "wb", compresslevel=9, mtime=0) as raw:
        for line in lines:
            raw.write((json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n").encode())


def boards_yaml(comment: str, boards: list[tuple[str, str, str, str]]) -> str:
    rows = "".join(
        f"  - {{company: {company}, ats: {ats}, token: {token}, segment: {segment}}}\n"
        for ats, token, company, segment in boards
    )
    return f"{comment}boards:\n{rows}"


def main(shared_data: Path) -> None:
    files = sorted((shared_data / SNAPSHOTS).glob("*.csv"))
    lines = [line for path in files for line in day_lines(path)]
    write_lines(OUT / REPLAY_FILE, lines)
    comment = (
        "# Real boards replayed day by day, 2025-09-10 .. 09-17 (../build_ats_replay.py;\n"
        "# provenance in ats_boards.PROVENANCE.md).\n"
    )
    (OUT / "boards.yaml").write_text(boards_yaml(comment, sorted(BOARDS.values())))
    jobs = {(line["path"], job["id"]) for line in lines for job in line["body"]["jobs"]}
    size = (OUT / REPLAY_FILE).stat().st_size
    print(
        f"{len(files)} days, {len({line['path'] for line in lines})} boards, "
        f"{len(lines)} answers, {len(jobs)} distinct postings -> {OUT / REPLAY_FILE} "
        f"({size:,} bytes)"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data")
