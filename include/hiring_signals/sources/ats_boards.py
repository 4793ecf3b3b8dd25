"""Company job boards on Greenhouse, Lever and Ashby: one snapshot per board and run.

Boards list *current* openings, so every run records what each board showed: a batch
with the board's jobs when they changed, or a manifest alone when the board answered
304 / sent the same jobs (``unchanged``), lists no jobs (``empty``), vanished (``gone``:
HTTP 404) or could not be fetched (``failed``: nothing else lands). Postings close when
an observation no longer shows them (``empty`` and ``gone`` show none). The warehouse derives
first_seen / last_seen / closed_on per posting from these observations.

An observation is dated by the answer's ``Date`` header (when the board showed this),
else by the clock: a recorded answer replays on its own day. Observations are daily (the
last of a day counts), and an answer dated before the board's last observation is no
news and lands nothing (a rerun over a replayed history, a stale cache). Each job is
checked against its API's model (``ats_records``): a job of the wrong shape goes to
quarantine naming the field, the others land.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from pydantic import Field, StrictInt, StrictStr, ValidationError

from hiring_signals.http import BadResponseError, HttpClient, header_time
from hiring_signals.landing import (
    encode_records,
    quarantine_fetched,
    read_manifests,
    utc_now,
    write_batch,
)
from hiring_signals.settings import Settings
from hiring_signals.sources.ats_records import (
    GreenhouseAnswer,
    RecordShapeError,
    check_job,
)
from hiring_signals.sources.base import IngestResult, implausible_date
from hiring_signals.sources.config import Board, load_boards
from hiring_signals.sources.registry import Ingest, LandedRecord, Progress, Source

METHOD = "ats_snapshot"
LEVER_PAGE = 100


class PayloadShapeError(ValueError):
    """The response is JSON, but not the shape the API documents."""

    def __init__(self, url: str, reason: str, payload: Any) -> None:
        super().__init__(f"{url}: {reason}")
        self.url, self.reason, self.body = url, reason, payload


@dataclass(frozen=True)
class AtsApi:
    """Where one ATS lists a board's jobs and how the answer wraps them."""

    source: str
    base_setting: str  # Settings attribute holding the API's base URL
    path: str  # with {token}
    params: dict[str, str]
    jobs_key: str | None  # the list under this key; None: the answer is the list
    date_field: str  # when the job was published
    date_unit: str = "s"  # how a number in date_field is read: "s" or "ms"
    page_size: int | None = None  # paged with skip/limit (Lever)

    def board_path(self, board: Board) -> str:
        return self.path.format(token=board.token)

    def fetch(
        self, settings: Settings, client: HttpClient, board: Board, validators: dict
    ) -> Fetched:
        """One board's answer, every page of it."""
        url = getattr(settings, self.base_setting) + self.board_path(board)
        jobs: list[Any] = []
        first = None
        total = None
        for skip in range(0, 100_000, self.page_size or 100_000):
            paging = {"limit": self.page_size, "skip": skip} if self.page_size else {}
            response = client.get(
                url,
                params=self.params | paging,
                etag=validators.get("etag") if skip == 0 else None,
                last_modified=validators.get("last_modified") if skip == 0 else None,
            )
            first = first or response
            if response.not_modified:
                break
            page = (
                response.data
                if self.jobs_key is None
                else (response.data.get(self.jobs_key) if isinstance(response.data, dict) else None)
            )
            if not isinstance(page, list):
                wanted = f"an object with a '{self.jobs_key}' list" if self.jobs_key else "a list"
                raise PayloadShapeError(response.url, f"expected {wanted}", response.data)
            if self.source == "greenhouse":
                total = _greenhouse_total(response.url, response.data)
            jobs += page
            if not self.page_size or len(page) < self.page_size:
                break
        validators_now = {"etag": first.etag, "last_modified": first.last_modified}
        notices = []
        if not first.not_modified and total is not None and total != len(jobs):
            notices.append(f"meta.total says {total} jobs, the answer lists {len(jobs)}")
        return Fetched(
            None if first.not_modified else jobs,
            first.url,
            validators_now,
            _answer_time(first.date),
            notices,
        )


@dataclass(frozen=True)
class Fetched:
    """What one board answered: its jobs (None for 304 Not Modified), URL, validators,
    when the answer was true (its ``Date``, else now) and notices about it."""

    jobs: list[Any] | None
    url: str
    validators: dict[str, str | None]
    observed_at: datetime
    notices: list[str]


def _greenhouse_total(url: str, data: Any) -> int | None:
    """``meta.total`` of a Greenhouse answer (None when absent); a wrong type is a
    changed shape."""
    try:
        meta = GreenhouseAnswer.model_validate(data).meta
    except ValidationError as exc:
        field = ".".join(str(p) for p in exc.errors()[0]["loc"]) or "<response>"
        raise PayloadShapeError(url, f"field {field!r} is not as documented", data) from None
    return meta.total if meta else None


def _answer_time(date_header: str | None) -> datetime:
    """When an answer was true: the server's ``Date`` (a recorded answer keeps the day it
    was recorded), else now."""
    return header_time(date_header) or utc_now()


APIS: dict[str, AtsApi] = {
    "greenhouse": AtsApi(
        "greenhouse",
        "greenhouse_api_base",
        "/v1/boards/{token}/jobs",
        {"content": "true"},
        "jobs",
        "first_published",
    ),
    "lever": AtsApi(
        "lever",
        "lever_api_base",
        "/v0/postings/{token}",
        {"mode": "json"},
        None,
        "createdAt",
        "ms",
        page_size=LEVER_PAGE,
    ),
    "ashby": AtsApi(
        "ashby",
        "ashby_api_base",
        "/posting-api/job-board/{token}",
        {"includeCompensation": "true"},
        "jobs",
        "publishedAt",
    ),
}


def board_paths(boards: list[Board]) -> set[str]:
    """The URL paths the boards are fetched from."""
    return {APIS[board.ats].board_path(board) for board in boards}


def job_problem(api: AtsApi, job: Any, seen: dict[Any, Any]) -> tuple[str, str] | None:
    """(field, reason) when a job of a board answer cannot be landed; ``seen`` maps the
    ids met so far in the same answer to their job."""
    try:
        check_job(api.source, job)
    except RecordShapeError as exc:
        return exc.field, exc.reason
    if job["id"] in seen:
        if seen[job["id"]] == job:
            return "id", "listed twice in the same answer"
        return "id", "duplicate id with different content in the same answer"
    seen[job["id"]] = job
    reason = implausible_date(job.get(api.date_field), api.date_unit)
    return (api.date_field, reason) if reason else None


def ingest_board(settings: Settings, client: HttpClient, board: Board) -> IngestResult:
    """Fetch one board and record what it showed; never raises for a fetch problem."""
    api = APIS[board.ats]
    result = IngestResult(api.source)
    history = [
        m for m in read_manifests(settings.landing_dir, api.source) if m.scope == board.token
    ]
    observed = [m for m in history if m.status != "failed"]
    # The board's current snapshot, unless its last observation found it gone or empty.
    last = observed[-1] if observed and observed[-1].status in ("ok", "unchanged") else None
    current_sha = next(
        (m.sha256 for m in history if last and m.batch_id == last.snapshot_batch_id), None
    )
    validators = last.validators if last else {}
    requests_before = client.requests

    def land(records: list[dict], status: str, when: datetime | None = None, **extra: Any) -> None:
        when = when or utc_now()
        previous = observed[-1] if observed else None
        if status != "failed" and previous is not None:
            before = datetime.fromisoformat(previous.fetched_at)
            if when < before:
                return  # older than what the landing already observed
            if (
                not records
                and previous.status in (status, "ok" if status == "unchanged" else status)
                and before.date() == when.date()
            ):
                return  # observations are daily: today's already says the same
        manifest = write_batch(
            settings.landing_dir,
            api.source,
            records,
            urls=[url],
            cursor_before={"snapshot_batch_id": last.snapshot_batch_id if last else None},
            cursor_after={},
            method=METHOD,
            fetched_at=when,
            status=status,
            scope=board.token,
            snapshot_batch_id=last.snapshot_batch_id if last else None,
            **extra,
        )
        if manifest:
            result.manifests.append(manifest)

    url = f"{board.ats}:{board.token}"
    try:
        fetched = api.fetch(settings, client, board, validators)
    except httpx.HTTPStatusError as exc:
        url = str(exc.request.url)
        if exc.response.status_code == 404:
            land(
                [],
                "gone",
                _answer_time(exc.response.headers.get("Date")),
                error=f"HTTP 404 from {url}",
            )
            result.notices.append(f"{board.key}: board not found (HTTP 404); its postings close")
        else:
            # A refused redirect says where it pointed; other statuses say only the code.
            detail = str(exc) if exc.response.has_redirect_location else None
            detail = detail or f"HTTP {exc.response.status_code} from {url}"
            land([], "failed", error=detail)
            result.errors.append(f"{board.key}: {detail}")
        return _finish(result, client, requests_before)
    except httpx.TransportError as exc:
        land([], "failed", error=f"{type(exc).__name__}: {exc}")
        result.errors.append(f"{board.key}: {type(exc).__name__} after retries: {exc}")
        return _finish(result, client, requests_before)
    except (BadResponseError, PayloadShapeError) as exc:
        url, reason = exc.url, exc.reason
        quarantine_fetched(settings.quarantine_dir, api.source, url, "<response>", reason, exc.body)
        land([], "failed", error=reason)
        result.errors.append(f"{board.key}: bad response quarantined: {reason}")
        return _finish(result, client, requests_before)

    url, when = fetched.url, fetched.observed_at
    result.notices += [f"{board.key}: {notice}" for notice in fetched.notices]
    if fetched.jobs is None:  # 304 Not Modified
        land([], "unchanged", when, validators=fetched.validators)
        return _finish(result, client, requests_before)
    records = []
    seen: dict[Any, Any] = {}
    for job in fetched.jobs:
        problem = job_problem(api, job, seen)
        if problem:
            quarantine_fetched(settings.quarantine_dir, api.source, url, *problem, job)
            what = f"job {job['id']!r}" if isinstance(job, dict) and "id" in job else "a job"
            result.notices.append(f"{board.key}: {what} quarantined: {problem[0]}: {problem[1]}")
            continue
        records.append(
            {**job, "_board": board.token, "_company": board.company, "_segment": board.segment}
        )
    digest = hashlib.sha256(encode_records(records)).hexdigest()
    if records and digest == current_sha:
        land([], "unchanged", when, validators=fetched.validators)
    elif records:
        land(records, "ok", when, validators=fetched.validators)
    else:
        land([], "empty", when, validators=fetched.validators)
    return _finish(result, client, requests_before)


def _finish(result: IngestResult, client: HttpClient, requests_before: int) -> IngestResult:
    result.requests = client.requests - requests_before
    return result


def ingest_boards(
    settings: Settings,
    client: HttpClient,
    boards: list[Board],
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, IngestResult]:
    """Every board in turn; one board's failure never stops the others."""
    results = {source: IngestResult(source) for source in APIS}
    for done, board in enumerate(boards, start=1):
        results[board.ats].merge(ingest_board(settings, client, board))
        if progress:
            progress(board.key, done, len(boards))
    return results


class BoardRecord(LandedRecord):
    """What every landed job carries besides its ATS's fields: the board it was on."""

    board: StrictStr = Field(alias="_board")
    company: StrictStr = Field(alias="_company")
    segment: str | None = Field(None, alias="_segment")


class GreenhouseRecord(BoardRecord):
    """A landed line: one job of a Greenhouse board answer."""

    id: StrictInt
    title: StrictStr
    updated_at: str | None = None
    first_published: str | None = None
    location: Any = None
    absolute_url: str | None = None
    content: str | None = None
    departments: Any = None
    offices: Any = None


class LeverRecord(BoardRecord):
    """A landed line: one posting of a Lever board answer."""

    id: StrictStr
    text: StrictStr
    categories: Any = None
    country: str | None = None
    createdAt: int | None = None
    workplaceType: str | None = None
    description: str | None = None
    descriptionPlain: str | None = None
    hostedUrl: str | None = None
    salaryRange: Any = None


class AshbyRecord(BoardRecord):
    """A landed line: one job of an Ashby board answer."""

    id: StrictStr
    title: StrictStr
    department: str | None = None
    team: str | None = None
    employmentType: str | None = None
    location: str | None = None
    publishedAt: str | None = None
    isRemote: bool | None = None
    isListed: bool | None = None
    jobUrl: str | None = None
    descriptionHtml: str | None = None
    descriptionPlain: str | None = None
    compensation: Any = None


def observe_boards(
    settings: Settings, ats: str, boards: list[Board], progress: Progress | None = None
) -> IngestResult:
    """Observe ``boards`` (all on the ATS ``ats``): live once, now; in replay once per
    recorded day, oldest first."""
    result = IngestResult(ats)
    with HttpClient(settings) as client:
        for _ in client.recorded_days(board_paths(boards)):
            result.merge(ingest_boards(settings, client, boards, progress)[ats])
    result.notices = list(dict.fromkeys(result.notices))  # the same on several days
    return result


def _ingest_boards_of(ats: str) -> Ingest:
    def ingest(
        settings: Settings,
        progress: Progress | None,
        since: datetime | None,
        until: datetime | None,
    ) -> IngestResult:
        boards = [b for b in load_boards(settings.boards_file) if b.ats == ats]
        return observe_boards(settings, ats, boards, progress)

    return ingest


# The three ATSs land apart (their fields differ) but share one Airflow asset and DAG.
SOURCES = tuple(
    Source(ats, record, _ingest_boards_of(ats), dag="boards", asset="ats_boards")
    for ats, record in (
        ("greenhouse", GreenhouseRecord),
        ("lever", LeverRecord),
        ("ashby", AshbyRecord),
    )
)
