"""The publish gate: a Great Expectations suite per mart, validated through pandas.

GX 1.x cannot validate DuckDB over SQL (expectations fail without detail), so each mart
is read read-only into a DataFrame. Checks that GX has no expectation for (no future
month, no gap in the month series, batch freshness) become derived numeric columns
with a plain range expectation, so the summary shows the observed value.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd
from great_expectations.core.run_identifier import RunIdentifier

from hiring_signals.answer import VERDICT_METHOD
from hiring_signals.settings import Settings
from hiring_signals.warehouse import connect_read_only, mart_checksums


@dataclass
class CheckOutcome:
    table: str
    expectation: str
    column: str | None
    success: bool
    observed: object


@dataclass
class GateResult:
    success: bool
    outcomes: list[CheckOutcome]
    result_file: Path
    run_id: str

    def summary(self) -> list[str]:
        failed = [o for o in self.outcomes if not o.success]
        lines = [f"{len(self.outcomes) - len(failed)}/{len(self.outcomes)} expectations passed"]
        lines += [
            f"FAILED {o.table}.{o.column or '*'}: {o.expectation} (observed: {o.observed})"
            for o in failed
        ]
        return lines


def month_index(months: pd.Series) -> pd.Series:
    stamps = pd.to_datetime(months)
    return stamps.dt.year * 12 + stamps.dt.month - 1


def _frames(settings: Settings, now: datetime) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """The frames the suites validate, and the checksums of the marts they came from
    (publish compares them with what it is about to publish)."""
    with connect_read_only(settings.build_db) as con:
        checksums = mart_checksums(con)
        postings = con.execute(
            "select posting_id, posting_month, is_ml, salary_min_usd, salary_max_usd "
            "from marts.fct_job_postings"
        ).df()
        monthly = con.execute(
            "select * from marts.fct_ml_hiring_monthly order by classification_method, "
            "posting_month"
        ).df()
        batches = con.execute(
            "select batch_id, source_name, fetched_at from marts.dim_batches"
        ).df()
        social = con.execute("select * from marts.fct_social_signal_monthly").df()
        stock = con.execute("select * from marts.fct_ats_open_postings_daily").df()
    current = now.year * 12 + now.month - 1
    postings["months_ahead_of_today"] = month_index(postings["posting_month"]) - current
    monthly["months_ahead_of_today"] = month_index(monthly["posting_month"]) - current
    # One method's `all` series, gap-free per source (methods and segments share calendars).
    series = monthly[
        (monthly["classification_method"] == VERDICT_METHOD) & (monthly["segment"] == "all")
    ].copy()
    series["month_index"] = month_index(series["posting_month"])
    series["months_since_previous"] = series.groupby("source_name")["month_index"].diff().fillna(1)
    series["source_month"] = series["source_name"] + "/" + series["month_index"].astype(str)
    newest = pd.to_datetime(batches["fetched_at"], utc=True).max() if len(batches) else None
    freshness = pd.DataFrame(
        {"newest_batch_age_days": [(now - newest).total_seconds() / 86400 if newest else None]}
    )
    frames = {
        "fct_job_postings": postings,
        "fct_ml_hiring_monthly": monthly,
        "fct_ml_hiring_monthly_series": series,
        "dim_batches_freshness": freshness,
        "fct_social_signal_monthly": social,
        "fct_ats_open_postings_daily": stock,
    }
    return frames, checksums


def _suites(settings: Settings) -> dict[str, list[gxe.Expectation]]:
    return {
        "fct_job_postings": [
            gxe.ExpectTableRowCountToBeBetween(min_value=1),
            gxe.ExpectColumnValuesToNotBeNull(column="posting_id"),
            gxe.ExpectColumnValuesToBeUnique(column="posting_id"),
            gxe.ExpectColumnValuesToBeInSet(column="is_ml", value_set=[True, False]),
            gxe.ExpectColumnMaxToBeBetween(column="months_ahead_of_today", max_value=0),
            gxe.ExpectColumnValuesToBeBetween(
                column="salary_min_usd", min_value=15_000, max_value=1_500_000
            ),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="salary_max_usd",
                column_B="salary_min_usd",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
            ),
        ],
        "fct_ml_hiring_monthly": [
            gxe.ExpectTableRowCountToBeBetween(min_value=1),
            gxe.ExpectColumnValuesToNotBeNull(column="posting_month"),
            gxe.ExpectColumnValuesToBeBetween(column="ml_share", min_value=0, max_value=1),
            gxe.ExpectColumnValuesToBeBetween(
                column="deep_learning_share", min_value=0, max_value=1
            ),
            gxe.ExpectColumnValuesToBeBetween(column="llm_share", min_value=0, max_value=1),
            gxe.ExpectColumnMaxToBeBetween(column="months_ahead_of_today", max_value=0),
        ],
        "fct_ml_hiring_monthly_series": [
            gxe.ExpectColumnValuesToBeUnique(column="source_month"),
            gxe.ExpectColumnValuesToBeBetween(
                column="months_since_previous", min_value=1, max_value=1
            ),
        ],
        "fct_social_signal_monthly": [
            *(
                gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0, max_value=1)
                for column in (
                    "share_mentioning_layoffs",
                    "share_mentioning_hiring_freeze",
                    "share_mentioning_hiring",
                )
            ),
            gxe.ExpectColumnValuesToBeBetween(column="items", min_value=1),
        ],
        "fct_ats_open_postings_daily": [
            gxe.ExpectColumnValuesToBeBetween(column="open_postings", min_value=0),
            gxe.ExpectColumnValuesToNotBeNull(column="snapshot_day"),
        ],
        "dim_batches_freshness": [
            gxe.ExpectColumnValuesToNotBeNull(column="newest_batch_age_days"),
            gxe.ExpectColumnMaxToBeBetween(
                column="newest_batch_age_days", max_value=settings.freshness_max_age_days
            ),
        ],
    }


def run_gate(settings: Settings, now: datetime | None = None) -> GateResult:
    """Validate the marts of ``build.duckdb``; write the result JSON under ``data/quality``."""
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    now = now or datetime.now(UTC)
    frames, checksums = _frames(settings, now)
    context = gx.get_context(mode="ephemeral")
    # GX would draw a tqdm bar per validation into our CLI output and task logs.
    context.variables.progress_bars = {"globally": False, "metric_calculations": False}
    source = context.data_sources.add_pandas("marts")
    outcomes: list[CheckOutcome] = []
    raw_results = {}
    # One GX run id for all of the gate's validations; publish records it in the snapshot.
    run_id = RunIdentifier(run_name=f"gate-{now:%Y%m%dT%H%M%S%fZ}", run_time=now)
    for table, expectations in _suites(settings).items():
        batch = source.add_dataframe_asset(name=table).add_batch_definition_whole_dataframe("whole")
        suite = context.suites.add(gx.ExpectationSuite(name=table, expectations=expectations))
        validation = context.validation_definitions.add(
            gx.ValidationDefinition(name=f"gate_{table}", data=batch, suite=suite)
        )
        result = validation.run(batch_parameters={"dataframe": frames[table]}, run_id=run_id)
        raw_results[table] = result.describe_dict()
        for r in result.results:
            config = r.expectation_config
            observed = r.result.get("observed_value", r.result.get("unexpected_count"))
            observed = observed.item() if hasattr(observed, "item") else observed
            if r.exception_info and r.exception_info.get("raised_exception"):
                observed = r.exception_info.get("exception_message")
            outcomes.append(
                CheckOutcome(table, config.type, config.kwargs.get("column"), r.success, observed)
            )
    success = all(o.success for o in outcomes)
    settings.quality_dir.mkdir(parents=True, exist_ok=True)
    result_file = settings.quality_dir / f"{run_id.run_name}.json"
    # Written aside and renamed: publish reads the newest result, never half of one.
    partial = result_file.with_name(f".{result_file.name}.partial")
    partial.write_text(
        json.dumps(
            {
                "success": success,
                "validated_at": now.isoformat(),
                "run_id": run_id.run_name,
                "mart_checksums": checksums,
                "results": raw_results,
            },
            indent=2,
            default=str,
        )
    )
    os.replace(partial, result_file)
    return GateResult(success, outcomes, result_file, run_id.run_name)
