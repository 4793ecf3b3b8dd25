"""Classify postings of your own with exactly the SQL the warehouse uses.

dbt compiles the two classification models (``int_posting_terms_matched`` and
``int_postings_classified``); their compiled SQL runs here unchanged in an in-memory
DuckDB whose ``build`` catalog holds the input postings and the taxonomy seed. So there
is one source of truth: the dbt models and the seed ``ml_taxonomy``.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
from pathlib import Path

import duckdb

from hiring_signals.settings import Settings
from hiring_signals.warehouse import run_dbt

MODELS = ("int_posting_terms_matched", "int_postings_classified")
OUTPUT_FIELDS = ("is_ml", "is_deep_learning", "is_llm", "role_family")


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
        for args in (["seed", "--select", "ml_taxonomy"], ["compile", "--select", *MODELS]):
            code, target = run_dbt(scratch_settings, args)
            if code != 0:
                raise RuntimeError(
                    f"dbt {args[0]} failed (exit {code}) while preparing the classifier; "
                    "run `hiring-signals build` for details"
                )
        folder = target / "compiled" / "hiring_signals" / "models" / "intermediate"
        return {name: (folder / f"{name}.sql").read_text() for name in MODELS}


def classify(settings: Settings, input_path: Path, output_path: Path) -> int:
    """Write one JSON line per input posting with its flags; returns the count."""
    postings = read_postings(input_path)
    sql = compiled_models(settings)
    taxonomy = settings.dbt_project_dir / "seeds" / "ml_taxonomy.csv"
    with duckdb.connect() as con:
        con.execute("attach ':memory:' as build")
        con.execute("create schema build.intermediate")
        con.execute("create schema build.seeds")
        con.execute(
            "create table build.seeds.ml_taxonomy as select * from read_csv(?, header = true, "
            "all_varchar = true)",
            [str(taxonomy)],
        )
        con.execute(
            "create table build.intermediate.int_postings_unioned (posting_id varchar, "
            "title_text varchar, full_text varchar)"
        )
        con.executemany(
            "insert into build.intermediate.int_postings_unioned values (?, ?, ?)",
            [[p["posting_id"], p["title_text"], p["full_text"]] for p in postings],
        )
        con.execute(
            "create table build.intermediate.int_posting_terms_matched as "
            + sql["int_posting_terms_matched"]
        )
        rows = con.execute(
            f"select posting_id, {', '.join(OUTPUT_FIELDS)} from ("
            + sql["int_postings_classified"]
            + ")"
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
