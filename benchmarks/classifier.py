"""Throughput of the learned classifier on real postings, against the rule classifier.

    python benchmarks/classifier.py [--copies N] [--output-dir benchmarks/results]

Reads the HN thread comments of the published warehouse (``hiring-signals run`` on the
bundle first), compiles the classification models as ``classify`` does and runs them in
one in-memory DuckDB, timed per stage: the rule classifier (``int_posting_terms_matched``
+ ``int_postings_classified``, the classifier before issue 17) and the learned one on top
(``int_posting_features`` + ``int_postings_scored``). ``--copies`` repeats the postings
(new ids) for a larger table. Writes ``classifier.json`` and ``classifier.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from hiring_signals.classify import MODELS, compiled_models, load_inputs, run_model
from hiring_signals.settings import load_settings
from hiring_signals.warehouse import connect_read_only

RULES = ("int_posting_terms_matched", "int_postings_classified")
LEARNED = ("int_posting_features", "int_postings_scored")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--output-dir", type=Path, default=Path(__file__).parent / "results")
    args = parser.parse_args()
    settings = load_settings()
    with connect_read_only(settings.analytics_db) as con:
        rows = con.execute(
            "select posting_id, title_text, full_text from marts.fct_job_postings "
            "where ingest_method = 'thread_comments'"
        ).fetchall()
    postings = [
        {"posting_id": f"{pid}-{copy}", "title_text": title, "full_text": text}
        for copy in range(args.copies)
        for pid, title, text in rows
    ]
    sql = compiled_models(settings)
    seconds = {}
    with duckdb.connect() as con:
        load_inputs(con, settings, postings, sql)
        for model in MODELS[1:]:
            started = time.perf_counter()
            run_model(con, sql, model)
            seconds[model] = time.perf_counter() - started
    rules_s = sum(seconds[m] for m in RULES)
    learned_s = rules_s + sum(seconds[m] for m in LEARNED)
    n = len(postings)
    report = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "postings": n,
        "seconds": {m: round(s, 3) for m, s in seconds.items()},
        "rule_classifier_postings_per_s": round(n / rules_s),
        "learned_classifier_postings_per_s": round(n / learned_s),
        "ratio": round(rules_s / learned_s, 3),
    }
    args.output_dir.mkdir(parents=True, exist_ok=True)
    (args.output_dir / "classifier.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.output_dir / "classifier.md").write_text(
        f"# Classifier throughput: {n:,} real HN thread comments ({report['measured_at']})\n\n"
        "| classifier | postings/s | ratio |\n|---|---:|---:|\n"
        f"| rule (baseline) | {report['rule_classifier_postings_per_s']:,} | 1.000 |\n"
        f"| learned (rules + features + scoring) | "
        f"{report['learned_classifier_postings_per_s']:,} | {report['ratio']:.3f} |\n\n"
        "Seconds per model: "
        + ", ".join(f"{m} {s:.2f}" for m, s in report["seconds"].items())
        + f". {report['cpus']} CPUs, in-memory DuckDB, compiled dbt SQL.\n"
    )
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
