"""Command-line interface: `hiring-signals run`, and each step alone."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import sys
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import duckdb
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from hiring_signals.pipeline import (
    PublishBlockedError,
    ingest_source,
    publish_if_validated,
)
from hiring_signals.settings import Settings, load_settings
from hiring_signals.sources import registry
from hiring_signals.terminal import cell
from hiring_signals.warehouse import (
    WarehouseLockedError,
    connect_for_analysts,
    refusal_hint,
)
from hiring_signals.warehouse import build as run_build

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Public labor-market signals turned into ML-hiring facts.",
)
# Pipes and CI logs get 120 columns instead of rich's 80, so tables stay readable.
console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)
err = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 120)


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


def _ingest(
    settings: Settings,
    sources: list[str],
    since: datetime | None = None,
    until: datetime | None = None,
) -> bool:
    ok = True
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        for source in sources:
            task = bar.add_task(f"ingest {source}", total=None)

            def progress(label: str, done: int, total: int, task=task, source=source) -> None:
                bar.update(
                    task, description=f"ingest {source} {label}", completed=done, total=total
                )

            result = ingest_source(settings, source, progress, since, until)
            bar.remove_task(task)
            console.print(escape(_ingest_line(result)))
            for notice in result.notices:
                err.print(f"[yellow]NOTICE[/yellow] {escape(notice)}")
            for error in result.errors:
                err.print(f"[red]ERROR[/red] {escape(error)}")
                ok = False
    return ok


def _ingest_line(result) -> str:
    batches = result.batch_ids
    if len(batches) == 1:
        where = f" in batch {batches[0]}"
    elif batches:
        where = f" in {len(batches)} batches"
    else:
        where = " (nothing new, no batch written)"
    line = f"ingest {result.source}: {result.new_records} new records{where}"
    statuses = [m.status for m in result.manifests if m.status != "ok"]
    if statuses:
        counts = {s: statuses.count(s) for s in sorted(set(statuses))}
        line += "; " + ", ".join(f"{n} {s}" for s, n in counts.items())
    quarantined = result.skipped.get("quarantined", 0)
    missing = result.skipped.get("missing", 0)
    if missing:
        line += f", {missing} missing"
    if quarantined:
        line += f", {quarantined} quarantined"
    return line


def _build(settings: Settings, full_refresh: bool = False) -> bool:
    with err.status("dbt build: starting") as status:

        def on_line(line: str) -> None:
            if " of " in line:
                status.update(f"dbt build: {escape(line.split('  ', 1)[-1][:100])}")

        result = run_build(settings, on_line, full_refresh=full_refresh)
    for q in result.quarantined:
        err.print(
            f"[yellow]QUARANTINED[/yellow] {escape(q.source)} {escape(q.file)} line "
            f"{q.line} field {escape(q.field)}: {escape(q.reason)}"
        )
    if result.quarantined:
        err.print(
            f"{len(result.quarantined)} landing line(s) quarantined under {settings.quarantine_dir}"
        )
    if not result.success:
        for failure in result.failures:
            err.print(f"[red]dbt FAILED[/red] {escape(failure)}")
        return False
    console.print(f"build: dbt build passed in {result.elapsed_s:.1f}s -> {settings.build_db}")
    return True


def _check(settings: Settings) -> bool:
    from hiring_signals.quality.gate import run_gate  # Great Expectations imports slowly

    with err.status("quality gate: validating marts with Great Expectations"):
        result = run_gate(settings)
    for line in result.summary():
        (console if result.success else err).print(escape(f"check: {line}"))
    console.print(f"check: result written to {result.result_file}")
    return result.success


def _publish(settings: Settings) -> bool:
    try:
        snapshot = publish_if_validated(settings)
    except (PublishBlockedError, WarehouseLockedError) as exc:
        err.print(
            f"[red]publish blocked:[/red] {escape(str(exc))}; "
            f"{settings.analytics_db.name} left unchanged"
        )
        return False
    console.print(f"publish: snapshot {snapshot.snapshot_id} -> {snapshot.path}")
    return True


def _print_answer(
    settings: Settings, end: str | None, verbose: bool = False, as_json: bool = False
) -> None:
    """The published snapshot's answer view, as rich text or JSON."""
    from hiring_signals.answer_terminal import print_answer, to_json
    from hiring_signals.answer_view import load_view

    end_month = datetime.strptime(end, "%Y-%m").date() if end else None
    view = load_view(settings.analytics_db, settings.quality_dir, end_month)
    if as_json:
        sys.stdout.write(to_json(view) + "\n")
    else:
        print_answer(console, view, verbose)


SourceOption = Annotated[list[str] | None, typer.Option("--source", help="Sources to fetch.")]
EndOption = Annotated[
    str | None,
    typer.Option(help="Last month of the answer window, YYYY-MM (default: newest with data)."),
]
FormatOption = Annotated[OutputFormat, typer.Option("--format")]
OutputFileOption = Annotated[
    Path | None,
    typer.Option(
        "-o", "--output", help="Write to this file (required for parquet; csv and json too)."
    ),
]
SinceOption = Annotated[
    str | None, typer.Option(help="Backfill from this day (YYYY-MM-DD) or month (YYYY-MM).")
]
UntilOption = Annotated[
    str | None, typer.Option(help="Backfill up to this day (YYYY-MM-DD) or month (YYYY-MM).")
]


def _day(value: str | None, end: bool = False) -> datetime | None:
    """The day of ``value``; a month means its first day, or its last with ``end``."""
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        pass
    try:
        month = datetime.strptime(value, "%Y-%m").replace(tzinfo=UTC)
    except ValueError:
        raise typer.BadParameter(
            f"expected a day as YYYY-MM-DD or a month as YYYY-MM, got {value!r}"
        ) from None
    if not end:
        return month
    following = month.replace(year=month.year + month.month // 12, month=month.month % 12 + 1)
    return following - timedelta(days=1)


@app.command()
def ingest(
    source: SourceOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
) -> None:
    """Fetch new records and land them as immutable batches.

    With --since/--until, backfill a date range (hn_whoishiring: the monthly threads of
    those months; hn_discussions: items created in the range), whatever the cursor says;
    without --source a range backfills the sources that can be backfilled.
    """
    known, backfills = list(registry.names()), list(registry.backfill_names())
    source = source or (backfills if since or until else known)
    unknown = sorted(set(source) - set(known))
    if unknown:
        raise typer.BadParameter(f"unknown source(s) {unknown}; known: {known}")
    if since or until:
        unsupported = sorted(set(source) - set(backfills))
        if unsupported:
            raise typer.BadParameter(
                f"{unsupported} cannot be backfilled by date (snapshots or no date search); "
                f"date ranges work for {backfills}"
            )
    if not _ingest(load_settings(), source, _day(since), _day(until, end=True)):
        raise typer.Exit(1)


@app.command()
def build(
    full_refresh: bool = typer.Option(
        False,
        "--full-refresh",
        help="Rebuild every model from the whole landing (builds are incremental: they "
        "process new batches only; a changed dbt project rebuilds by itself).",
    ),
) -> None:
    """Quarantine unusable landing lines and run `dbt build` into build.duckdb."""
    if not _build(load_settings(), full_refresh):
        raise typer.Exit(1)


def _load_line(load) -> str:
    tables = ", ".join(f"{table} {rows}" for table, rows in load.rows.items())
    line = f"load-postgres: {load.files} files in {load.elapsed_s:.1f}s ({tables})"
    if load.unreadable_lines or load.cleaned_lines:
        line += (
            f"; {load.unreadable_lines} line(s) not JSON (null record), "
            f"{load.cleaned_lines} cleaned of NUL/surrogate characters"
        )
    return line


@app.command("load-postgres")
def load_postgres() -> None:
    """Copy the landing into Postgres (HS_PG_*): raw tables landing.<source>."""
    from hiring_signals.pg_landing import load_landing
    from hiring_signals.warehouse import prepare_landing

    settings = load_settings()
    prepare_landing(settings)
    with err.status("loading the landing into Postgres"):
        load = load_landing(settings.landing_dir)
    console.print(_load_line(load))


@app.command("build-postgres")
def build_postgres() -> None:
    """Load the landing into Postgres and run `dbt build --target postgres` there."""
    from hiring_signals.pg_landing import build_postgres as run_build_postgres
    from hiring_signals.warehouse import dbt_failures

    settings = load_settings()
    with err.status("dbt build --target postgres: starting") as status:

        def on_line(line: str) -> None:
            if " of " in line:
                status.update(f"dbt build (postgres): {escape(line.split('  ', 1)[-1][:100])}")

        result = run_build_postgres(settings, on_line)
    console.print(_load_line(result.load))
    if not result.success:
        for failure in dbt_failures(result.target_dir) or [
            f"dbt build exited with code {result.dbt_exit_code}"
        ]:
            err.print(f"[red]dbt FAILED[/red] {escape(failure)}")
        raise typer.Exit(1)
    console.print("build-postgres: dbt build --target postgres passed")


@app.command()
def check() -> None:
    """Validate the built marts (Great Expectations); non-zero exit when a check fails."""
    if not _check(load_settings()):
        raise typer.Exit(1)


@app.command()
def publish() -> None:
    """Atomically replace analytics.duckdb with the validated build."""
    if not _publish(load_settings()):
        raise typer.Exit(1)


class AnswerFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
def answer(
    end: EndOption = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show every note.")] = False,
    output_format: Annotated[
        AnswerFormat, typer.Option("--format", help="text, or json (docs/answer.schema.json).")
    ] = AnswerFormat.text,
) -> None:
    """Print the verdict on ML / deep-learning / LLM hiring from the published warehouse."""
    _print_answer(load_settings(), end, verbose, output_format == AnswerFormat.json)


@app.command()
def classify(
    input_path: Annotated[Path, typer.Argument(help="JSON lines: {id, title, text}")],
    output: Annotated[Path, typer.Option("-o", "--output", help="JSON lines out")],
) -> None:
    """Classify postings of your own with the warehouse's own SQL (dbt models + taxonomy)."""
    from hiring_signals.classify import ClassifyInputError
    from hiring_signals.classify import classify as run_classify

    if not input_path.is_file():
        raise typer.BadParameter(f"input file not found: {input_path}")
    try:
        count = run_classify(load_settings(), input_path, output)
    except ClassifyInputError as exc:
        err.print(f"[red]bad input:[/red] {escape(str(exc))}")
        raise typer.Exit(1) from None
    console.print(f"classify: {count} postings -> {output}")


def _ci(low: float | None, high: float | None) -> str:
    return "-" if low is None or high is None else f"{low:.2f}-{high:.2f}"


@app.command()
def evaluate() -> None:
    """Design-weighted precision, recall and prevalence with 95% intervals, per split and
    year, label agreement (Cohen's kappa), and the test-split targets."""
    from hiring_signals.evaluation import agreement, read_scores, shortfalls

    settings = load_settings()
    scores = read_scores(settings.analytics_db)
    table = Table(
        "classifier",
        "label",
        "split",
        "year",
        "labelled",
        "precision",
        "95% CI",
        "recall",
        "95% CI",
        "prevalence",
    )
    for s in scores:
        if s.classifier == "title" and s.period != "all":
            continue
        table.add_row(
            s.classifier,
            s.label,
            s.split,
            s.period,
            str(s.labelled),
            "-" if s.precision is None else f"{s.precision:.2f}",
            _ci(*s.precision_ci),
            "-" if s.recall is None else f"{s.recall:.2f}",
            _ci(*s.recall_ci),
            "-" if s.prevalence is None else f"{s.prevalence:.1%}",
        )
    console.print(table)
    for label, (pairs, agree, kappa) in agreement().items():
        console.print(
            f"agreement {label}: {pairs} postings labelled twice blind, "
            f"{agree:.1%} agree, Cohen's kappa {kappa:.2f}"
        )
    for miss in shortfalls(scores):
        console.print(f"below target: {miss}")


@app.command("train-classifier")
def train_classifier() -> None:
    """Train the learned classifier from the train split of the labels: writes the seed
    ml_classifier_weights and docs/classifier_training.md (then `build` applies it)."""
    from hiring_signals import classifier_training as training

    settings = load_settings()
    if not settings.build_db.exists():
        err.print(f"[red]train-classifier:[/red] {settings.build_db} not found: run `build` first")
        raise typer.Exit(1)
    fits = training.train(settings.build_db)
    written = training.write_weights(fits)
    training.write_report(fits, len(training.train_labels()))
    for fit in fits:
        console.print(
            f"train-classifier {fit.label}: C={fit.c:g}, threshold {fit.threshold:.2f}, "
            f"CV precision {fit.cv_precision:.2f} recall {fit.cv_recall:.2f}"
        )
    console.print(f"train-classifier: {written} weights -> {training.WEIGHTS_FILE}")


@app.command()
def report() -> None:
    """Write data/reports/answer.html from the published warehouse."""
    from hiring_signals.report import report_published

    console.print(f"report: {report_published(load_settings())}")


def _docs(settings: Settings) -> None:
    from hiring_signals.warehouse import run_dbt

    with err.status("dbt docs generate"):
        code, target = run_dbt(settings, ["docs", "generate"])
    if code != 0:
        err.print("[yellow]dbt docs generate failed; the warehouse is unaffected[/yellow]")
        return
    console.print(f"docs: {target / 'index.html'}")


@app.command()
def docs() -> None:
    """Generate the dbt documentation site (models, columns, lineage, exposures)."""
    _docs(load_settings())


def _write_parquet(con: duckdb.DuckDBPyConnection, sql: str, output: Path) -> int:
    """Write the result of ``sql`` to ``output`` with pyarrow (the session itself reaches
    no files), beside it first and then renamed, so the file is whole or absent; returns
    the number of rows written."""
    import pyarrow.parquet as pq

    relation = con.sql(sql)
    if relation is None:
        raise ValueError("the statement returns no rows to write")
    table = relation.to_arrow_table()
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.partial")
    try:
        pq.write_table(table, partial)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    return table.num_rows


def _query_failed(exc: Exception) -> typer.Exit:
    """Print why a query failed (and, for a refusal, what to do instead)."""
    hint = refusal_hint(exc) if isinstance(exc, duckdb.Error) else None
    err.print(f"[red]query failed:[/red] {escape(str(exc))}")
    if hint:
        err.print(escape(hint))
    return typer.Exit(1)


@app.command()
def query(
    sql: str, fmt: FormatOption = OutputFormat.table, output: OutputFileOption = None
) -> None:
    """Run SQL against the published warehouse: read-only, with no access to other files
    or URLs and locked settings; save results with --format csv|json|parquet -o FILE."""
    if fmt is OutputFormat.parquet and output is None:
        raise typer.BadParameter(
            "--format parquet writes a file: name it with -o/--output FILE", param_hint="--output"
        )
    if fmt is OutputFormat.table and output is not None:
        raise typer.BadParameter(
            "-o/--output needs --format csv, json or parquet", param_hint="--output"
        )
    settings = load_settings()
    with connect_for_analysts(settings.analytics_db) as con:
        if fmt is OutputFormat.parquet:
            assert output is not None
            try:
                count = _write_parquet(con, sql, output)
            except (duckdb.Error, ValueError, OSError) as exc:
                raise _query_failed(exc) from None
            console.print(f"query: {count} rows -> {escape(str(output))}")
            return
        try:
            cursor = con.execute(sql)
            columns = [d[0] for d in cursor.description or []]
            rows = cursor.fetchall()
        except duckdb.Error as exc:
            raise _query_failed(exc) from None
    if fmt is OutputFormat.table:
        table = Table(*[cell(c) for c in columns])
        for row in rows:
            table.add_row(*[cell("" if v is None else v) for v in row])
        console.print(table)
        return
    with contextlib.ExitStack() as stack:
        out = (
            stack.enter_context(output.open("w", newline="", encoding="utf-8"))
            if output
            else sys.stdout
        )
        if fmt is OutputFormat.csv:
            writer = csv.writer(out)
            writer.writerow(columns)
            writer.writerows(rows)
        else:
            records = [dict(zip(columns, r, strict=True)) for r in rows]
            print(json.dumps(records, default=str, ensure_ascii=False), file=out)


@app.command()
def shell() -> None:
    """Interactive SQL on the published warehouse, opened read-only (statements end with
    ';'; .tables, .schema TABLE, .help, .quit). Reads piped input too; exits 1 when a
    piped statement failed."""
    from hiring_signals.shell import run_shell

    settings = load_settings()
    try:
        failed = run_shell(settings.analytics_db, console, err)
    except FileNotFoundError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(1) from None
    if failed and not sys.stdin.isatty():
        raise typer.Exit(1)


def _export(settings: Settings) -> bool:
    from hiring_signals.export import export_marts

    try:
        result = export_marts(settings)
    except (OSError, duckdb.Error, RuntimeError) as exc:
        err.print(
            f"[red]export failed:[/red] {escape(str(exc))}; the previous export (if any) is "
            "left in place"
        )
        return False
    console.print(
        f"export: {len(result.tables)} marts as Parquet, snapshot {result.snapshot_id} "
        f"-> {result.path}"
    )
    return True


@app.command()
def export() -> None:
    """Write every mart of the published warehouse as Parquet under data/export/ (large
    fact tables partitioned by month), replaced whole, with _snapshot.json."""
    if not _export(load_settings()):
        raise typer.Exit(1)


@app.command()
def run(end: EndOption = None) -> None:
    """ingest -> build -> check -> publish -> answer -> report -> export -> docs."""
    settings = load_settings()
    console.print(f"hiring-signals: mode={settings.mode}, data={settings.data_dir}")
    ingested = _ingest(settings, list(registry.names()))
    if not _build(settings):
        raise typer.Exit(1)
    if not _check(settings):
        err.print(
            f"[red]publish blocked:[/red] the quality gate failed; "
            f"{settings.analytics_db.name} left unchanged"
        )
        raise typer.Exit(1)
    if not _publish(settings):
        raise typer.Exit(1)
    _print_answer(settings, end)
    from hiring_signals.report import report_published

    console.print(f"report: {report_published(settings)}")
    exported = _export(settings)
    _docs(settings)
    if not ingested:
        err.print("[red]some sources failed to ingest (see above); published what landed[/red]")
    if not (ingested and exported):
        raise typer.Exit(1)
