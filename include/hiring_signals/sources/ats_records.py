"""The job shapes of the three board APIs, as pydantic models: the ingest's contract.

One model per API, written from the documented responses and checked against real ones
(``tests/fixtures/ats_real/``): Greenhouse ``GET /v1/boards/{token}/jobs?content=true``,
Lever ``GET /v0/postings/{token}?mode=json``, Ashby
``GET /posting-api/job-board/{token}?includeCompensation=true``.

Required fields (the id and the title) must be there with their type; the documented
optional fields the warehouse reads may be missing or null but not of another type
(nested ones too: departments, offices, categories, compensation components). Fields
the APIs add later are kept as they are (``extra="allow"``): a new field never stops
ingest, a changed one does, and :func:`check_job` names the source, the record and the
field.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError


class ApiRecord(BaseModel):
    """Strict types (no "123" for an int, no 1 for a bool); unknown fields kept."""

    model_config = ConfigDict(extra="allow", strict=True)


# --- Greenhouse -------------------------------------------------------------------


class GreenhouseLocation(ApiRecord):
    name: str | None = None


class GreenhouseDepartment(ApiRecord):
    id: int
    name: str | None = None
    parent_id: int | None = None
    child_ids: list[int] | None = None


class GreenhouseOffice(ApiRecord):
    id: int
    name: str | None = None
    location: str | None = None
    parent_id: int | None = None
    child_ids: list[int] | None = None


class GreenhouseJob(ApiRecord):
    id: int
    title: str
    absolute_url: str | None = None
    first_published: str | None = None
    updated_at: str | None = None
    # An object with ``name``; a bare string is tolerated (the warehouse reads no
    # location from it, see the hostile case gh_location_string).
    location: GreenhouseLocation | str | None = None
    content: str | None = None
    departments: list[GreenhouseDepartment] | None = None
    offices: list[GreenhouseOffice] | None = None
    metadata: list[Any] | None = None
    internal_job_id: int | None = None
    requisition_id: str | None = None
    company_name: str | None = None


class GreenhouseMeta(ApiRecord):
    total: int | None = None


class GreenhouseAnswer(ApiRecord):
    """The whole answer: ``jobs`` (each checked alone) and ``meta.total``."""

    jobs: list[Any]
    meta: GreenhouseMeta | None = None


# --- Lever ------------------------------------------------------------------------


class LeverCategories(ApiRecord):
    commitment: str | None = None
    location: str | None = None
    team: str | None = None
    department: str | None = None
    allLocations: list[str] | None = None


class LeverSalaryRange(ApiRecord):
    currency: str | None = None
    interval: str | None = None
    min: float | None = None
    max: float | None = None


class LeverPosting(ApiRecord):
    id: str
    text: str
    createdAt: int | None = None  # epoch milliseconds
    categories: LeverCategories | None = None
    country: str | None = None
    workplaceType: str | None = None
    hostedUrl: str | None = None
    applyUrl: str | None = None
    description: str | None = None
    descriptionPlain: str | None = None
    salaryRange: LeverSalaryRange | None = None


# --- Ashby ------------------------------------------------------------------------


class AshbyCompensationComponent(ApiRecord):
    compensationType: str | None = None
    interval: str | None = None
    currencyCode: str | None = None
    minValue: float | None = None
    maxValue: float | None = None


class AshbyCompensation(ApiRecord):
    compensationTierSummary: str | None = None
    summaryComponents: list[AshbyCompensationComponent] | None = None


class AshbyJob(ApiRecord):
    id: str
    title: str
    department: str | None = None
    team: str | None = None
    employmentType: str | None = None
    location: str | None = None
    secondaryLocations: list[Any] | None = None
    publishedAt: str | None = None
    isListed: bool | None = None
    isRemote: bool | None = None
    workplaceType: str | None = None
    jobUrl: str | None = None
    applyUrl: str | None = None
    descriptionHtml: str | None = None
    descriptionPlain: str | None = None
    compensation: AshbyCompensation | None = None


class AshbyAnswer(ApiRecord):
    jobs: list[Any]
    apiVersion: str | None = None


JOB_MODELS: dict[str, type[ApiRecord]] = {
    "greenhouse": GreenhouseJob,
    "lever": LeverPosting,
    "ashby": AshbyJob,
}


class RecordShapeError(ValueError):
    """A record is not the shape its API documents; names source, record and field."""

    def __init__(self, source: str, record: str, field: str, reason: str) -> None:
        super().__init__(f"{source} {record}: field {field!r}: {reason}")
        self.source, self.record, self.field, self.reason = source, record, field, reason


# pydantic names the member of a union it tried (``location.GreenhouseLocation.name``).
_UNION_MEMBERS = {"str", "int", "float", "bool", "list", "dict"}


def _field_path(loc: tuple[int | str, ...]) -> str:
    parts = [
        str(part)
        for part in loc
        if not (isinstance(part, str) and (part in _UNION_MEMBERS or part[:1].isupper()))
    ]
    return ".".join(parts) or "<job>"


def required_fields(source: str) -> dict[str, type]:
    """The required top-level fields of a source's job model and their Python types."""
    model = JOB_MODELS[source]
    return {
        name: info.annotation  # type: ignore[misc]
        for name, info in model.model_fields.items()
        if info.is_required()
    }


def check_job(source: str, job: Any) -> ApiRecord:
    """The job as its model, or :class:`RecordShapeError` for the first bad field."""
    if not isinstance(job, dict):
        raise RecordShapeError(
            source, "a job", "<job>", f"expected an object, got {type(job).__name__}"
        )
    record = f"job {job['id']!r}" if "id" in job else "a job"
    try:
        return JOB_MODELS[source].model_validate(job)
    except ValidationError as exc:
        first = exc.errors()[0]
        reason = (
            "required field is missing"
            if first["type"] == "missing"
            else f"wrong type: {first['msg']} (got {type(first.get('input')).__name__})"
        )
        raise RecordShapeError(source, record, _field_path(first["loc"]), reason) from None
