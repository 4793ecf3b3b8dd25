"""Classify postings of your own with exactly the SQL the warehouse uses.

dbt compiles the header parser and the classification models; their compiled SQL runs
here unchanged in an in-memory DuckDB whose ``build`` catalog holds the input postings
and the seeds ``ml_taxonomy`` and ``ml_classifier_weights``. So there is one source of
truth: the dbt models and the seeds. A posting given without a title (``{"id", "text"}``,
an HN comment) gets its title from its first line by the warehouse's header parser.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
from pathlib import Path

import duckdb
import pandas as pd

from hiring_signals.settings import Settings
from hiring_signals.warehouse import run_dbt

HEADER_MODEL = "int_hn_postings_headers_parsed"
MODELS = (
    HEADER_MODEL,
    "int_posting_terms_matched",
    "int_postings_classified",
    "int_posting_features",
    "int_postings_scored",
)
SEEDS = ("ml_taxonomy", "ml_classifier_weights")
OUTPUT_FIELDS = ("is_ml", "is_deep_learning", "is_llm", "role_family", "n_roles", "n_ml_roles")


class ClassifyInputError(ValueError):
    """A line of the input is not a posting: the message names the line and field."""


def read_postings(path: Path) -> list[dict[str, str | None]]:
    postings = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ClassifyInputError(f"{path}:{number}: invalid JSON ({exc.msg})") from None
            if not isinstance(record, dict) or record.get("id") in (None, ""):
                raise ClassifyInputError(f"{path}:{number}: field 'id' is missing")
            for field in ("title", "text"):
                if record.get(field) is not None and not isinstance(record[field], str):
                    raise ClassifyInputError(f"{path}:{number}: field '{field}' must be text")
            postings.append(
                {
                    "posting_id": str(record["id"]),
                    "title_text": record.get("title"),
                    "full_text": record.get("text"),
                }
            )
    return postings


def compiled_models(settings: Settings) -> dict[str, str]:
    """The compiled SQL of the classification models, compiled by dbt now.

    The matching model writes each taxonomy pattern into its SQL (macro ``seed_rows``),
    so dbt needs the seed as a table: it is loaded into a throwaway build database, never
    the warehouse's own.
    """
    with tempfile.TemporaryDirectory(prefix="hs-classify-") as scratch:
        scratch_settings = dataclasses.replace(settings, data_dir=Path(scratch))
        for args in (["seed", "--select", *SEEDS], ["compile", "--select", *MODELS]):
            code, target = run_dbt(scratch_settings, args)
            if code != 0:
                raise RuntimeError(
                    f"dbt {args[0]} failed (exit {code}) while preparing the classifier; "
                    "run `hiring-signals build` for details"
                )
        folder = target / "compiled" / "hiring_signals" / "models" / "intermediate"
        return {name: (folder / f"{name}.sql").read_text() for name in MODELS}


MAX_TEXT_CHARS = 100_000  # macro max_text_chars: the longest text the models read


def _titles_from_headers(con: duckdb.DuckDBPyConnection, postings: list, header_sql: str) -> None:
    """Postings without a title take the role of their first line, as in
    int_postings_unioned: the header's role segment, or a free-text first line."""
    untitled = [p for p in postings if not p["title_text"] and p["full_text"]]
    if not untitled:
        return
    con.execute(
        "create table build.staging.stg_hn__postings (comment_id bigint, body_text varchar)"
    )
    con.executemany(
        "insert into build.staging.stg_hn__postings values (?, ?)",
        [[i, p["full_text"]] for i, p in enumerate(untitled)],
    )
    titles = con.execute(
        "select comment_id, coalesce(role_text, case when not has_pipe_header then header_line "
        f"end) from ({header_sql})"
    ).fetchall()
    for i, title in titles:
        untitled[i]["title_text"] = title


def load_inputs(
    con: duckdb.DuckDBPyConnection, settings: Settings, postings: list, sql: dict[str, str]
) -> None:
    """The ``build`` catalog the compiled models read: seeds and the input postings (as
    int_postings_unioned; untitled ones titled by the header parser)."""
    seeds = settings.dbt_project_dir / "seeds"
    con.execute("attach ':memory:' as build")
    for schema in ("staging", "intermediate", "seeds"):
        con.execute(f"create schema build.{schema}")
    con.execute(
        "create table build.seeds.ml_taxonomy as select * from read_csv(?, header = true, "
        "all_varchar = true)",
        [str(seeds / "ml_taxonomy.csv")],
    )
    con.execute(
        "create table build.seeds.ml_classifier_weights as select * from read_csv(?, "
        "header = true, columns = {'feature': 'varchar', 'is_ml': 'bigint', "
        "'is_deep_learning': 'bigint', 'is_llm': 'bigint'}, quote = '\"', escape = '\"')",
        [str(seeds / "ml_classifier_weights.csv")],
    )
    _titles_from_headers(con, postings, sql[HEADER_MODEL])
    given = pd.DataFrame(  # noqa: F841 (read by the SQL below)
        {
            "posting_id": [p["posting_id"] for p in postings],
            "title_text": [p["title_text"] for p in postings],
            "full_text": [p["full_text"] for p in postings],
        },
        dtype=object,
    )
    con.execute(
        "create table build.intermediate.int_postings_unioned as select "
        "posting_id::varchar as posting_id, title_text::varchar as title_text, "
        f"left(full_text::varchar, {MAX_TEXT_CHARS}) as full_text, "
        "now() as _loaded_at from given"
    )


def run_model(con: duckdb.DuckDBPyConnection, sql: dict[str, str], model: str) -> None:
    kind = "view" if model == "int_posting_features" else "table"
    con.execute(f"create {kind} build.intermediate.{model} as " + sql[model])


def classify(settings: Settings, input_path: Path, output_path: Path) -> int:
    """Write one JSON line per input posting with its flags; returns the count."""
    postings = read_postings(input_path)
    sql = compiled_models(settings)
    with duckdb.connect() as con:
        load_inputs(con, settings, postings, sql)
        for model in MODELS[1:]:
            run_model(con, sql, model)
        rows = con.execute(
            "select scored.posting_id, "
            + ", ".join(f"{'rules' if f == 'role_family' else 'scored'}.{f}" for f in OUTPUT_FIELDS)
            + " from build.intermediate.int_postings_scored as scored "
            "join build.intermediate.int_postings_classified as rules using (posting_id)"
        ).fetchall()
    by_id = {row[0]: row[1:] for row in rows}
    output_path.parent.mkdir(parents=True, exist_ok=True)
    with output_path.open("w", encoding="utf-8") as out:
        for posting in postings:
            values = by_id[posting["posting_id"]]
            out.write(
                json.dumps(
                    {"id": posting["posting_id"], **dict(zip(OUTPUT_FIELDS, values, strict=True))}
                )
                + "\n"
            )
    return len(postings)
