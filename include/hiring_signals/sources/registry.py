"""Every source in one place: its name, the pydantic model of one landed line, its ingest.

Each source module declares ``SOURCES``, a tuple of :class:`Source`; the registry collects
them from every module of this package, so a new source touches its own module (and its
dbt staging folder) only. Everything else derives from here: the pipeline's dispatch
and the CLI's choices (``names``), the Airflow assets and ingest tasks
(``Source.asset`` / ``Source.dag``), the landing files and columns dbt reads
(``file_globs`` / ``landing_columns``) and the validation of landed lines (``models``).
"""

from __future__ import annotations

import importlib
import pkgutil
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict

from hiring_signals.landing import DATA_SUFFIX, MANIFEST_COLUMNS
from hiring_signals.settings import Settings
from hiring_signals.sources.base import IngestResult

Progress = Callable[[str, int, int], None]
Ingest = Callable[[Settings, Progress | None, datetime | None, datetime | None], IngestResult]


class LandedRecord(BaseModel):
    """Base of the record models: the fields dbt reads, typed; other fields may come
    along (a board's answer has more than the warehouse reads). Required fields are
    strict (``StrictInt``: no ``"12"`` for 12), optional ones may be null or absent."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


@dataclass(frozen=True)
class Source:
    """One landing source. ``ingest(settings, progress, since, until)`` fetches it and
    lands what is new (``since``/``until`` only when ``backfill``: its API can be asked
    for a date range). ``dag`` names the ingest DAG that runs it (``hn``, ``social``,
    ``boards``: see ``dags/``); sources sharing an ``asset`` emit one Airflow asset."""

    name: str
    record: type[BaseModel]
    ingest: Ingest
    dag: str
    backfill: bool = False
    asset: str | None = None

    @property
    def asset_name(self) -> str:
        return self.asset or self.name


@cache
def sources() -> dict[str, Source]:
    """Every registered source by name, in the order of the modules that declare them."""
    package = importlib.import_module("hiring_signals.sources")
    found: dict[str, Source] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for source in getattr(module, "SOURCES", ()):
            if not isinstance(source, Source):
                continue
            if source.name in found:
                raise ValueError(f"source {source.name!r} is declared twice")
            found[source.name] = source
    return found


def names() -> tuple[str, ...]:
    return tuple(sources())


def backfill_names() -> tuple[str, ...]:
    """Sources whose APIs can be asked for a date range (others are snapshots or lack it)."""
    return tuple(name for name, source in sources().items() if source.backfill)


def get(name: str) -> Source:
    try:
        return sources()[name]
    except KeyError:
        raise ValueError(f"unknown source {name!r}; known sources: {', '.join(names())}") from None


def models() -> dict[str, type[BaseModel]]:
    """Source name -> the model every landed line of it must satisfy."""
    return {name: source.record for name, source in sources().items()}


def file_globs() -> dict[str, str]:
    """dbt's variable name -> the landing files (relative glob) a dbt source reads."""
    globs = {"HS_FILES_MANIFESTS": "*/dt=*/*.manifest.json"}
    return globs | {f"HS_FILES_{name.upper()}": f"{name}/dt=*/*{DATA_SUFFIX}" for name in names()}


_DUCKDB_TYPES: dict[Any, str] = {
    int: "BIGINT",
    str: "VARCHAR",
    float: "DOUBLE",
    bool: "BOOLEAN",
    datetime: "TIMESTAMPTZ",
    Any: "JSON",
}


def duckdb_type(annotation: Any) -> str:
    """The DuckDB type ``read_json`` reads a field of this annotation as: ``X | None`` is
    X, ``list[X]`` is ``X[]``, nested JSON (``Any``, dicts, other lists) is ``JSON``."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType) and len(args) == 1:
        return duckdb_type(args[0])
    if origin is list and args and args[0] in _DUCKDB_TYPES and args[0] is not Any:
        return f"{_DUCKDB_TYPES[args[0]]}[]"
    if origin in (dict, list):
        return "JSON"
    try:
        return _DUCKDB_TYPES[annotation]
    except (KeyError, TypeError):
        raise TypeError(f"no DuckDB type for the landing field annotation {annotation!r}") from None


def record_columns(model: type[BaseModel]) -> dict[str, str]:
    """The landed field names (aliases where set) of a record model and their DuckDB types."""
    return {
        field.alias or name: duckdb_type(field.annotation)
        for name, field in model.model_fields.items()
    }


def landing_columns() -> dict[str, dict[str, str]]:
    """What dbt's landing sources read (the project var ``landing_columns``)."""
    columns = {name: record_columns(source.record) for name, source in sources().items()}
    return columns | {"manifests": MANIFEST_COLUMNS}
