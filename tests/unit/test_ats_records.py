"""The board APIs' contract on real answers (tests/fixtures/ats_real, see PROVENANCE.md
there): each parser takes the real shapes whole, and a changed shape is refused with a
message naming the source, the record and the field, while the board's other jobs land."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from hiring_signals.http import HttpClient, ReplayTransport
from hiring_signals.landing import iter_records, read_manifests
from hiring_signals.settings import REPO_ROOT
from hiring_signals.sources import ats_boards, registry
from hiring_signals.sources.ats_records import (
    AshbyJob,
    GreenhouseAnswer,
    GreenhouseJob,
    LeverPosting,
    RecordShapeError,
    check_job,
    required_fields,
)
from hiring_signals.sources.config import Board

REAL = REPO_ROOT / "tests" / "fixtures" / "ats_real"
ENDPOINTS = {  # source: (board token of the real answer, path, query)
    "greenhouse": ("smarterdx", "/v1/boards/smarterdx/jobs", "content=true"),
    "lever": ("palantir", "/v0/postings/palantir", "limit=100&mode=json&skip=0"),
    "ashby": ("openevidence", "/posting-api/job-board/openevidence", "includeCompensation=true"),
}


def real_answer(source: str):
    return json.loads((REAL / f"{source}.json").read_text(encoding="utf-8"))


def real_jobs(source: str) -> list[dict]:
    answer = real_answer(source)
    return answer if isinstance(answer, list) else answer["jobs"]


def ingest_answer(settings, tmp_path: Path, source: str, answer) -> ats_boards.IngestResult:
    """One board answering ``answer`` at its real endpoint, through the real ingest."""
    token, path, query = ENDPOINTS[source]
    replay = tmp_path / "replay"
    replay.mkdir(exist_ok=True)
    line = {"path": path, "query": query, "status": 200, "body": answer}
    (replay / "board.jsonl").write_text(json.dumps(line) + "\n")
    board = Board(company=token, ats=source, token=token, segment="control")
    with HttpClient(settings, transport=ReplayTransport(replay)) as client:
        return ats_boards.ingest_board(settings, client, board)


def landed(settings, source: str) -> list[dict]:
    [manifest] = [m for m in read_manifests(settings.landing_dir, source) if m.data_file]
    batch = next(settings.landing_dir.glob(f"{source}/dt=*/{manifest.data_file}"))
    return [json.loads(line) for _, line in iter_records(batch)]


def test_greenhouse_real_answer_nested_departments_offices_and_meta_total():
    answer = GreenhouseAnswer.model_validate(real_answer("greenhouse"))
    assert answer.meta is not None and answer.meta.total == 11  # trimmed: 2 jobs listed
    jobs = [GreenhouseJob.model_validate(job) for job in answer.jobs]
    assert [job.id for job in jobs] == [5193736007, 5099964007]
    assert jobs[0].departments[0].name == "Customer Success "  # as sent, trailing space
    assert jobs[0].departments[0].parent_id == 4062540007
    assert jobs[0].offices[0].name == "Remote" and jobs[0].offices[0].location is None
    assert jobs[0].location.name == "Remote (United States)"
    assert jobs[0].content.startswith("&lt;")  # Greenhouse escapes its HTML
    # Fields the model does not name are kept as sent.
    assert jobs[0].model_extra["data_compliance"][0]["type"] == "gdpr"


def test_lever_real_answer_categories_and_millisecond_dates():
    posts = [LeverPosting.model_validate(post) for post in real_jobs("lever")]
    assert posts[0].categories.commitment == "Full-time"
    assert posts[0].categories.allLocations == ["London, United Kingdom"]
    assert posts[0].createdAt == 1711403416463 and posts[0].workplaceType == "hybrid"
    assert posts[0].salaryRange is None and "lists" in posts[0].model_extra


def test_ashby_real_answer_compensation_and_locations():
    jobs = [AshbyJob.model_validate(job) for job in real_jobs("ashby")]
    assert jobs[0].compensation.summaryComponents == []
    assert jobs[0].compensation.compensationTierSummary is None
    assert jobs[0].isRemote is False and jobs[0].workplaceType == "OnSite"
    assert jobs[0].secondaryLocations[0]["location"] == "Miami"
    assert "address" in jobs[0].model_extra


@pytest.mark.parametrize("source", ["greenhouse", "lever", "ashby"])
def test_real_answers_land_whole(settings, tmp_path, source):
    result = ingest_answer(settings, tmp_path, source, real_answer(source))

    assert result.errors == []
    records = landed(settings, source)
    assert [{k: v for k, v in r.items() if not k.startswith("_")} for r in records] == (
        real_jobs(source)
    )
    assert not (settings.quarantine_dir / source).exists()


def _set(job: dict, path: str, value) -> dict:
    """``job`` with ``path`` (dotted, list indexes as numbers) set to ``value``, or
    removed when ``value`` is ``...``."""
    job = copy.deepcopy(job)
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
    target = job
    for part in parents:
        target = target[part]
    if value is ...:
        del target[last]
    else:
        target[last] = value
    return job


CHANGED_SHAPES = [
    ("greenhouse", "id", "5193736007", "id", "wrong type"),
    ("greenhouse", "title", ..., "title", "required field is missing"),
    ("greenhouse", "departments.0.name", 7, "departments.0.name", "wrong type"),
    ("greenhouse", "departments.0.id", "4063398007", "departments.0.id", "wrong type"),
    ("greenhouse", "offices", {"id": 1, "name": "Remote"}, "offices", "wrong type"),
    ("greenhouse", "location.name", ["Remote"], "location.name", "wrong type"),
    ("greenhouse", "first_published", 1785000000, "first_published", "wrong type"),
    ("lever", "id", 42, "id", "wrong type"),
    ("lever", "text", ..., "text", "required field is missing"),
    ("lever", "createdAt", "2024-03-25T21:50:16Z", "createdAt", "wrong type"),
    ("lever", "categories.team", ["Administrative"], "categories.team", "wrong type"),
    ("lever", "categories", "Administrative", "categories", "wrong type"),
    ("ashby", "title", None, "title", "wrong type"),
    ("ashby", "isRemote", "false", "isRemote", "wrong type"),
    ("ashby", "compensation.summaryComponents", "none", "compensation.summaryComponents", "wrong"),
    (
        "ashby",
        "compensation.summaryComponents",
        [{"compensationType": "Salary", "minValue": "150000"}],
        "compensation.summaryComponents.0.minValue",
        "wrong type",
    ),
]


@pytest.mark.parametrize(
    ("source", "path", "value", "field", "reason"),
    CHANGED_SHAPES,
    ids=[f"{c[0]}-{c[1]}-{type(c[2]).__name__}" for c in CHANGED_SHAPES],
)
def test_a_changed_shape_is_refused_naming_source_record_and_field(
    source, path, value, field, reason
):
    job = _set(real_jobs(source)[0], path, value)

    with pytest.raises(RecordShapeError) as refused:
        check_job(source, job)

    assert (refused.value.source, refused.value.field) == (source, field)
    assert refused.value.reason.startswith(reason)
    record = f"job {job['id']!r}" if "id" in job else "a job"
    assert str(refused.value).startswith(f"{source} {record}: field {field!r}: ")


@pytest.mark.parametrize("source", ["greenhouse", "lever", "ashby"])
def test_a_changed_job_is_quarantined_naming_the_field_and_the_others_land(
    settings, tmp_path, source
):
    answer = copy.deepcopy(real_answer(source))
    jobs = answer if isinstance(answer, list) else answer["jobs"]
    nested = {"greenhouse": "departments", "lever": "categories", "ashby": "compensation"}
    jobs[0][nested[source]] = "flattened by a new API version"
    jobs[1]["added_by_the_vendor"] = {"new": True}

    result = ingest_answer(settings, tmp_path, source, answer)

    assert result.errors == []
    [entry] = [
        json.loads(line)
        for f in (settings.quarantine_dir / source).glob("fetch-*.jsonl")
        for line in f.read_text().splitlines()
    ]
    assert entry["source"] == source and entry["field"] == nested[source]
    assert entry["reason"].startswith("wrong type")
    assert json.loads(entry["raw"])["id"] == jobs[0]["id"]
    assert any(f"job {jobs[0]['id']!r} quarantined: {nested[source]}:" in n for n in result.notices)
    [kept] = landed(settings, source)
    assert kept["id"] == jobs[1]["id"] and kept["added_by_the_vendor"] == {"new": True}


def test_greenhouse_meta_total_of_the_wrong_type_fails_the_board_naming_it(settings, tmp_path):
    answer = copy.deepcopy(real_answer("greenhouse"))
    answer["meta"]["total"] = "11"

    result = ingest_answer(settings, tmp_path, "greenhouse", answer)

    assert result.errors == [
        "greenhouse:smarterdx: bad response quarantined: field 'meta.total' is not as documented"
    ]
    assert read_manifests(settings.landing_dir, "greenhouse")[-1].status == "failed"


@pytest.mark.parametrize("source", ["greenhouse", "lever", "ashby"])
def test_the_landed_line_model_takes_every_job_the_api_model_takes(source):
    """The registry's model of a landed line (the landing contract) requires what the
    API's job model requires, and takes the real jobs as they land."""
    landed = registry.get(source).record
    landed_required = {
        field.alias or name: field.annotation
        for name, field in landed.model_fields.items()
        if field.is_required()
    }
    assert required_fields(source).items() <= landed_required.items()
    for job in real_jobs(source):
        landed.model_validate({**job, "_board": "b", "_company": "C", "_segment": "control"})
