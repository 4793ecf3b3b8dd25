"""Draw the evaluation sample (design v3) from the thread comments of a built warehouse.

Three independent draws from the frame of live HN thread comments, each ordered by an
md5 hash of the posting id with its own seed, so anyone can redraw them:

- ``srs``: a simple random sample of ``SRS_SIZE`` comments;
- ``stratified`` (drawn first, design v2): per calendar year, ``FLAGGED_PER_YEAR``
  comments the rule classifier flagged ML and ``UNFLAGGED_PER_YEAR`` it did not;
- ``stratified_v3`` (added later for more positives of the rare labels): per calendar
  year and rule class (``dl_or_llm``, ``ml_only``, ``unflagged``), ``V3_PER_CLASS``.

A comment drawn by any of them is labelled once. Its inclusion probability in the union
of the independent draws is ``1 - (1 - p_srs)(1 - p_stratified)(1 - p_stratified_v3)``.
The strata use the rule flags, which no retraining changes, so the weights never depend
on a later classifier. See docs/labeling.md.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

SRS_SEED = "eval-v2-srs"
STRATIFIED_SEED = "eval-v2-strat"
SPLIT_SEED = "split-v2"
V3_SEED = "eval-v3-strat"
SRS_SIZE = 700
FLAGGED_PER_YEAR = 90
UNFLAGGED_PER_YEAR = 60
V3_PER_CLASS = {"dl_or_llm": 60, "ml_only": 50, "unflagged": 140}
TEST_SHARE_MOD = 4  # md5(posting_id:split-v2) mod 4 = 0: the test split (25%)

SAMPLE_COLUMNS = (
    "posting_id",
    "posting_year",
    "flagged_at_draw",
    "rule_class",
    "in_srs",
    "in_stratified",
    "in_stratified_v3",
    "p_srs",
    "p_stratified",
    "p_stratified_v3",
    "inclusion_probability",
    "split",
)


def _hash_rank(seed: str) -> str:
    return f"row_number() over (order by md5(posting_id || ':{seed}'))"


def draw(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """The sample rows (``SAMPLE_COLUMNS``) from ``marts.fct_job_postings`` of ``con``."""
    v3_size = " ".join(f"when '{k}' then {n}" for k, n in V3_PER_CLASS.items())
    return con.execute(
        f"""
        with frame as (
            select
                posting_id,
                year(posting_month) as posting_year,
                rule_is_ml as flagged_at_draw,
                case when rule_is_deep_learning or rule_is_llm then 'dl_or_llm'
                    when rule_is_ml then 'ml_only' else 'unflagged' end as rule_class
            from marts.fct_job_postings
            where ingest_method = 'thread_comments'
        ),
        ranked as (
            select
                *,
                {_hash_rank(SRS_SEED)} as srs_rank,
                row_number() over (
                    partition by posting_year, flagged_at_draw
                    order by md5(posting_id || ':{STRATIFIED_SEED}')
                ) as stratum_rank,
                row_number() over (
                    partition by posting_year, rule_class
                    order by md5(posting_id || ':{V3_SEED}')
                ) as v3_rank,
                count(*) over () as frame_size,
                count(*) over (partition by posting_year, flagged_at_draw) as stratum_size,
                count(*) over (partition by posting_year, rule_class) as v3_stratum_size
            from frame
        ),
        drawn as (
            select
                *,
                srs_rank <= {SRS_SIZE} as in_srs,
                stratum_rank <= case when flagged_at_draw then {FLAGGED_PER_YEAR}
                    else {UNFLAGGED_PER_YEAR} end as in_stratified,
                {SRS_SIZE} / frame_size as p_srs,
                least(1.0, case when flagged_at_draw then {FLAGGED_PER_YEAR}
                    else {UNFLAGGED_PER_YEAR} end / stratum_size) as p_stratified,
                v3_rank <= case rule_class {v3_size} end as in_stratified_v3,
                least(1.0, case rule_class {v3_size} end / v3_stratum_size) as p_stratified_v3
            from ranked
        )
        select
            posting_id, posting_year, flagged_at_draw, rule_class,
            in_srs, in_stratified, in_stratified_v3,
            round(p_srs, 8), round(p_stratified, 8), round(p_stratified_v3, 8),
            round(1 - (1 - p_srs) * (1 - p_stratified) * (1 - p_stratified_v3), 8)
                as inclusion_probability,
            case when hash_mod = 0 then 'test' else 'train' end as split
        from (
            select *, ('0x' || left(md5(posting_id || ':{SPLIT_SEED}'), 8))::bigint
                % {TEST_SHARE_MOD} as hash_mod
            from drawn
        )
        where in_srs or in_stratified or in_stratified_v3
        order by posting_id
        """
    ).fetchall()


def write_csv(path: Path, columns: tuple[str, ...], rows: list[tuple]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([str(v).lower() if isinstance(v, bool) else v for v in row])


def main() -> None:
    """``python -m hiring_signals.evaluation_sample``: redraw design v3 from the published
    warehouse into the seed (the same bytes on the bundle)."""
    from hiring_signals.settings import REPO_ROOT, load_settings
    from hiring_signals.warehouse import connect_read_only

    with connect_read_only(load_settings().analytics_db) as con:
        rows = draw(con)
    target = REPO_ROOT / "dbt_project" / "seeds" / "evaluation_sample.csv"
    write_csv(target, SAMPLE_COLUMNS, rows)
    print(f"evaluation sample: {len(rows)} postings -> {target}")


if __name__ == "__main__":
    main()
