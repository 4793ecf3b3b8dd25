"""The warehouse: dbt builds ``build.duckdb``; publish swaps a checked copy into place.

``build.duckdb`` has one writer (dbt, in a subprocess, or in-process with its handle
closed after: none outlives it). ``analytics.duckdb`` is never written in place: publish
copies the build, strips the internal schemas, records the snapshot, then renames the
copy over the old file, so a reader sees the old snapshot or the new one and never a mix.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from hiring_signals.landing import QuarantinedLine, validate_landing
from hiring_signals.settings import Settings
from hiring_signals.sources import registry

# What analysts get: the marts and the seeds they join to (staging and intermediate
# models and dbt's run records stay in the build).
PUBLISHED_SCHEMAS = ("marts", "seeds")


class WarehouseLockedError(RuntimeError):
    """Another process holds the database file open for writing."""


_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")


def open_for_writing(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection; a lock held elsewhere is reported with the holder's PID."""
    try:
        return duckdb.connect(str(path))
    except duckdb.IOException as exc:
        holder = _LOCK_HOLDER.search(" ".join(str(exc).split()))
        if holder is None:
            raise
        raise WarehouseLockedError(
            f"{path} is locked by another writer: PID {holder['pid']} ({holder['program']}). "
            "Stop that process or wait for it to finish, then run this step again; "
            "nothing was changed"
        ) from None


@dataclass
class BuildResult:
    success: bool
    quarantined: list[QuarantinedLine]
    failures: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0


EMPTY_SOURCE = Path(__file__).resolve().parents[2] / "dbt_project" / "empty.jsonl"


def _files(landing: Path, pattern: str) -> str:
    """The glob DuckDB reads, or the empty file while it would match nothing
    (``read_json`` fails on a glob without matches)."""
    return str(landing / pattern) if any(landing.glob(pattern)) else str(EMPTY_SOURCE)


# Variables dbt always runs with.
DBT_FIXED_VARS = {
    "DO_NOT_TRACK": "1",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    # A test runs with the model it tests once all its other parents are built, so a
    # per-model build (the Airflow task group) never tests against a missing table.
    "DBT_INDIRECT_SELECTION": "buildable",
}


def dbt_vars(settings: Settings) -> dict[str, str]:
    """What dbt needs to know at run time: the database file and each source's files."""
    files = {
        name: _files(settings.landing_dir, glob) for name, glob in registry.file_globs().items()
    }
    return {"HS_BUILD_DB": str(settings.build_db), **files, **DBT_FIXED_VARS}


def dbt_env(settings: Settings, variables: dict[str, str] | None = None) -> dict[str, str]:
    """The environment dbt runs in: ours plus ``variables`` (from ``prepare_landing``,
    fixing the landing files read), by default those of the landing as it is now."""
    return dict(os.environ) | (dbt_vars(settings) if variables is None else variables)


def prepare_landing(settings: Settings) -> tuple[list[QuarantinedLine], dict[str, str]]:
    """Quarantine unusable landing lines; return them and the variables dbt runs with."""
    quarantined = validate_landing(settings.landing_dir, settings.quarantine_dir, registry.models())
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return quarantined, dbt_vars(settings)


# What the built tables depend on besides the landing: a change to any of these makes
# the incremental models' earlier rows stale (a taxonomy edit reclassifies history).
PROJECT_INPUTS = ("models", "macros", "seeds", "dbt_project.yml")
BUILT_SCHEMAS = ("staging", "intermediate", "marts")


def project_fingerprint(project_dir: Path) -> str:
    """sha256 over the paths and bytes of the dbt project's models, macros and seeds,
    and over the landing columns the sources' record models give dbt."""
    digest = hashlib.sha256(json.dumps(registry.landing_columns()).encode())
    for name in PROJECT_INPUTS:
        root = project_dir / name
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts:
                continue
            digest.update(str(path.relative_to(project_dir)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def reset_if_project_changed(settings: Settings) -> bool:
    """Drop the built models when the dbt project changed since the last build, so the
    next build is a full one with the new code and seeds; True when it did.

    Incremental models only process new landing batches, so without this a new
    taxonomy term would never reach the postings already classified. The fingerprint
    is written after the drop: a kill in between drops again next time."""
    stamp = settings.data_dir / "dbt" / "project_fingerprint"
    current = project_fingerprint(settings.dbt_project_dir)
    if stamp.exists() and stamp.read_text() == current:
        return False
    if settings.build_db.exists():
        with open_for_writing(settings.build_db) as con:
            for schema in BUILT_SCHEMAS:
                con.execute(f"drop schema if exists {schema} cascade")
    stamp.parent.mkdir(parents=True, exist_ok=True)
    partial = stamp.with_suffix(".tmp")
    partial.write_text(current)
    partial.replace(stamp)
    return True


def duckdb_timezone() -> str:
    """The time zone DuckDB reads and writes TIMESTAMPTZ values in (the machine's)."""
    with duckdb.connect() as con:
        (zone,) = con.execute("select current_setting('TimeZone')").fetchone()
    return zone


def dbt_command(settings: Settings, args: list[str], target_dir: Path) -> list[str]:
    """The dbt command line for ``args`` on this project, its run files in ``target_dir``.
    The landing columns come from the sources' record models (``--vars``), so the
    project keeps no copy of them."""
    return [
        str(Path(sys.executable).with_name("dbt")),
        *args,
        "--vars",
        json.dumps({"landing_columns": registry.landing_columns()}),
        "--project-dir",
        str(settings.dbt_project_dir),
        "--profiles-dir",
        str(settings.dbt_project_dir),
        "--target-path",
        str(target_dir),
        "--log-path",
        str(settings.data_dir / "dbt" / "logs"),
    ]


def run_dbt(
    settings: Settings,
    args: list[str],
    on_line: Callable[[str], None] | None = None,
    target: str | None = None,
    variables: dict[str, str] | None = None,
    in_process: bool = False,
) -> tuple[int, Path]:
    """Run one dbt command against the build database, or against the profile's
    ``target`` (``postgres``); returns (exit code, target dir). ``in_process`` runs it
    through dbt's Python API in this process instead of a new one (see
    ``_invoke_in_process``)."""
    env = dbt_env(settings, variables)
    target_dir = settings.data_dir / "dbt" / ("target" if target is None else f"target-{target}")
    if target is not None:
        args = [*args, "--target", target]
        # Postgres sessions take DuckDB's time zone, so that both turn a timestamp into
        # the same date (libpq reads PGTZ).
        env.setdefault("PGTZ", duckdb_timezone())
    command = dbt_command(settings, args, target_dir)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if in_process:
        return _invoke_in_process(command[1:], env, on_line), target_dir
    with subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=settings.dbt_project_dir,
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if on_line:
                on_line(line.rstrip())
    return process.returncode, target_dir


_DBT_LOG_LEVELS = {"info", "warn", "error"}


def _invoke_in_process(
    args: list[str], env: dict[str, str], on_line: Callable[[str], None] | None
) -> int:
    """``dbt <args>`` through ``dbtRunner`` with ``env`` as the environment, then close
    dbt-duckdb's database handle, which it would otherwise keep for the life of the
    process (a later read-only open of the file in this process would fail). Spares the
    ~3 s of importing dbt that each new process pays: `airflow dags test` runs every task
    of a DAG in one process (a scheduler's worker imports dbt once per task either way)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    from dbt.cli.main import dbtRunner

    def relay(event) -> None:  # dbt's events: its console lines at info level and up
        if on_line and event.info.level in _DBT_LOG_LEVELS:
            on_line(event.info.msg)

    saved = dict(os.environ)
    os.environ.update(env)
    try:
        result = dbtRunner(callbacks=[relay]).invoke(args)
    finally:
        DuckDBConnectionManager.close_all_connections()
        os.environ.clear()
        os.environ.update(saved)
    if result.exception is not None and on_line:
        on_line(f"dbt: {type(result.exception).__name__}: {result.exception}")
    return 0 if result.success else 1


def dbt_failures(target: Path) -> list[str]:
    results_file = target / "run_results.json"
    if not results_file.exists():
        return ["dbt produced no run_results.json (see the dbt log above)"]
    results = json.loads(results_file.read_text())["results"]
    return [
        f"{r['unique_id']}: {r['status']}: {(r.get('message') or '').strip()}"
        for r in results
        if r["status"] in ("error", "fail", "runtime error")
    ]


# The project's layers in build order, as dbt selectors: the Airflow transform runs one
# `dbt build` per layer (a failing model or test fails its layer's task, which retries
# alone); the CLI runs them all in one `dbt build`. Seeds go with staging, which joins them.
DBT_LAYERS = {
    "staging": "path:seeds path:models/staging",
    "intermediate": "path:models/intermediate",
    "marts": "path:models/marts",
}


# Unit tests check the models' logic on fixed inputs, not the data: dbt's advice is to
# run them in development and CI, not in every production build. `make test` runs them
# (tests/e2e/test_dbt_unit_tests.py); the pipeline's builds run models, seeds and data tests.
PIPELINE_BUILD_FLAGS = ["--exclude-resource-type", "unit_test"]


def build_selection(
    settings: Settings,
    variables: dict[str, str],
    select: str | None = None,
    on_line: Callable[[str], None] | None = None,
    full_refresh: bool = False,
    in_process: bool = False,
) -> tuple[bool, list[str]]:
    """``dbt build`` of ``select`` (a dbt selector; everything when None) on a prepared
    landing: (success, one line per failed node)."""
    try:  # dbt would only say "exited with code 2": name the holder of a lock first
        open_for_writing(settings.build_db).close()
    except WarehouseLockedError as exc:
        return False, [str(exc)]
    args = ["build", *(["--select", *select.split()] if select else []), *PIPELINE_BUILD_FLAGS]
    code, target = run_dbt(
        settings,
        [*args, *(["--full-refresh"] * full_refresh)],
        on_line,
        variables=variables,
        in_process=in_process,
    )
    failures = [] if code == 0 else dbt_failures(target)
    if code != 0 and not failures:
        failures = [f"dbt build exited with code {code}"]
    return code == 0, failures


def build(
    settings: Settings,
    on_line: Callable[[str], None] | None = None,
    full_refresh: bool = False,
) -> BuildResult:
    """Quarantine unusable landing lines, then ``dbt build`` (seeds, models, tests):
    incremental models process new landing batches only, unless ``full_refresh``."""
    started = datetime.now(UTC)
    quarantined, variables = prepare_landing(settings)
    try:
        reset_if_project_changed(settings)
    except WarehouseLockedError as exc:
        return BuildResult(False, quarantined, [str(exc)])
    success, failures = build_selection(
        settings, variables, on_line=on_line, full_refresh=full_refresh
    )
    elapsed = (datetime.now(UTC) - started).total_seconds()
    return BuildResult(success, quarantined, failures, elapsed)


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """How the pipeline's own steps (gate, answer, report, export) open a warehouse file:
    read-only, never creating it. Analysts get :func:`connect_for_analysts`."""
    if not path.exists():
        raise FileNotFoundError(f"warehouse not found: {path} (run `hiring-signals run`)")
    return duckdb.connect(str(path), read_only=True)


# DuckDB's own settings for every analyst and BI session: the file is read-only, SQL can
# reach no other file or URL (no COPY TO, EXPORT, ATTACH, read_csv('/etc/...'), glob,
# INSTALL / LOAD), and no setting can be changed back (SET, PRAGMA, RESET).
ANALYST_CONFIG = {"enable_external_access": False, "lock_configuration": True}


def connect_for_analysts(path: Path) -> duckdb.DuckDBPyConnection:
    """How `query`, `shell` and analysts' Python open the published warehouse."""
    if not path.exists():
        raise FileNotFoundError(f"warehouse not found: {path} (run `hiring-signals run`)")
    return duckdb.connect(str(path), read_only=True, config=ANALYST_CONFIG)


def analyst_url(path: Path) -> str:
    """The SQLAlchemy URL with the same protection (duckdb-engine hands its query
    parameters to DuckDB as settings); four slashes before an absolute path."""
    return (
        f"duckdb:///{path.resolve()}?access_mode=read_only"
        "&enable_external_access=false&lock_configuration=true"
    )


def refusal_hint(exc: duckdb.Error) -> str | None:
    """What to do instead, when DuckDB refused a statement of an analyst session."""
    if isinstance(exc, duckdb.PermissionException):
        return (
            "analyst sessions reach no file or URL besides the warehouse; save results "
            "with `hiring-signals query SQL --format csv|json|parquet -o FILE`"
        )
    if "configuration has been locked" in str(exc):
        return "settings are locked in analyst sessions"
    return None


def mart_checksums(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """md5 per mart table over its sorted row hashes: equal contents, equal checksum."""
    tables = con.execute(
        "select table_name from information_schema.tables "
        "where table_schema = 'marts' order by table_name"
    ).fetchall()
    checksums = {}
    for (table,) in tables:
        (digest,) = con.execute(
            f"select md5(coalesce(string_agg(h, '' order by h), '')) "
            f"from (select md5(cast(t as varchar)) as h from marts.{table} as t)"
        ).fetchone()
        checksums[table] = digest
    return checksums


@dataclass
class Snapshot:
    snapshot_id: str
    published_at: str
    path: Path
    checksums: dict[str, str]


def _fsync_file(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _dbt_invocations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The dbt invocations that built the current models and seeds: the newest run of
    each node (the ``record_dbt_run`` hook writes them)."""
    exists = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'meta' and table_name = 'dbt_node_runs'"
    ).fetchone()[0]
    if not exists:
        return []
    rows = con.execute(
        "select distinct arg_max(invocation_id, run_started_at) "
        "from meta.dbt_node_runs group by unique_id order by 1"
    ).fetchall()
    return [invocation for (invocation,) in rows]


def _copy_published_tables(build: duckdb.DuckDBPyConnection, target: Path) -> None:
    """Copy the tables of the published schemas into a new database file ``target``.

    Table by table rather than the whole file: the build's staging and intermediate
    models (most of its size at scale) and its free blocks never reach analysts."""
    quoted = str(target).replace("'", "''")
    build.execute(f"attach '{quoted}' as published")
    try:
        tables = build.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where database_name = current_database() and list_contains(?, schema_name) "
            "order by all",
            [list(PUBLISHED_SCHEMAS)],
        ).fetchall()
        for schema in PUBLISHED_SCHEMAS:
            build.execute(f'create schema published."{schema}"')
        for schema, table in tables:
            build.execute(
                f'create table published."{schema}"."{table}" as select * from "{schema}"."{table}"'
            )
    finally:
        build.execute("detach published")


class BuildChangedError(RuntimeError):
    """The marts about to be published are not the ones the quality gate validated."""


def _unvalidated_marts(checksums: dict[str, str], validated: dict[str, str] | None) -> list[str]:
    """Marts whose contents differ from (or are missing in) the validated ones."""
    if validated is None:
        return []
    return sorted(
        t for t in set(checksums) | set(validated) if checksums.get(t) != validated.get(t)
    )


def publish(
    settings: Settings,
    gate_run_id: str | None = None,
    validated_checksums: dict[str, str] | None = None,
) -> Snapshot:
    """Atomically replace ``analytics.duckdb`` with the current (validated) build;
    ``gate_run_id`` names the quality-gate run that passed it. With
    ``validated_checksums`` (the marts as the gate saw them), marts that differ from them
    are refused and nothing is published."""
    if not settings.build_db.exists():
        raise FileNotFoundError(f"nothing to publish: {settings.build_db} does not exist")
    staging_copy = settings.analytics_db.with_name(f".{settings.analytics_db.name}.publishing")
    # A publish killed midway leaves its copy and that copy's WAL; DuckDB would replay
    # the stale WAL into the next copy and refuse to open it, blocking every publish.
    for leftover in (staging_copy, staging_copy.with_name(f"{staging_copy.name}.wal")):
        leftover.unlink(missing_ok=True)
    # Holding the build open for writing keeps other writers out while it is copied.
    with open_for_writing(settings.build_db) as build:
        dbt_invocations = _dbt_invocations(build)
        _copy_published_tables(build, staging_copy)
    published_at = datetime.now(UTC).isoformat()
    with duckdb.connect(str(staging_copy)) as con:
        checksums = mart_checksums(con)
        changed = _unvalidated_marts(checksums, validated_checksums)
        if changed:
            con.close()
            for leftover in (staging_copy, staging_copy.with_name(f"{staging_copy.name}.wal")):
                leftover.unlink(missing_ok=True)
            raise BuildChangedError(", ".join(changed))
        snapshot_id = hashlib.sha256(json.dumps(checksums, sort_keys=True).encode()).hexdigest()[
            :16
        ]
        batch_ids = [
            row[0]
            for row in con.execute(
                "select batch_id from marts.dim_batches order by batch_id"
            ).fetchall()
        ]
        con.execute("create schema if not exists meta")
        con.execute(
            "create table meta.snapshots (snapshot_id varchar, published_at timestamptz, "
            "batch_ids varchar[], dbt_invocation_ids varchar[], gate_run_id varchar, "
            "mart_checksums json)"
        )
        con.execute(
            "insert into meta.snapshots values (?, ?, ?, ?, ?, ?)",
            [
                snapshot_id,
                published_at,
                batch_ids,
                dbt_invocations,
                gate_run_id,
                json.dumps(checksums, sort_keys=True),
            ],
        )
        con.execute("checkpoint")
    _fsync_file(staging_copy)
    os.replace(staging_copy, settings.analytics_db)
    return Snapshot(snapshot_id, published_at, settings.analytics_db, checksums)
