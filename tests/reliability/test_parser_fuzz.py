"""Property-based fuzzing of the parsers: the header line, salary and location parsers
are dbt SQL, so their compiled SQL runs in DuckDB on generated text; the Python parsers
(thread titles, HTML text, dates, surrogate scrubbing) are called directly.

Deterministic for CI: ``derandomize=True`` and a fixed number of examples; each SQL
example is a batch of strings, so few DuckDB round trips cover many inputs.
"""

from __future__ import annotations

import csv
import dataclasses
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hiring_signals.http import scrub_surrogates
from hiring_signals.settings import REPO_ROOT, load_settings
from hiring_signals.sources.base import implausible_date
from hiring_signals.sources.hn_whoishiring import thread_month
from hiring_signals.sources.html_text import html_to_text
from hiring_signals.warehouse import run_dbt

SEEDS = REPO_ROOT / "dbt_project" / "seeds"
MODELS = ("int_postings_parsed", "int_hn_postings_headers_parsed")
FUZZ_SQL = settings(  # each example is a batch run through DuckDB: fewer, bigger ones
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FUZZ = settings(max_examples=300, derandomize=True, deadline=None)
BATCH = 25

# Pieces real salary, location and header texts are made of, mixed with arbitrary text.
SALARY_PIECES = [
    "$",
    "€",
    "£",
    "¥",
    "₹",
    "C$",
    "A$",
    "USD",
    "eur",
    "GBP",
    "chf",
    "sek",
    "XYZ",
    "k",
    "K",
    "-",
    "\u2013",  # en dash, as in "$100k\u2013$150k"
    " to ",
    ",",
    ".",
    " ",
    "/hr",
    "/ hour",
    "per month",
    "monthly",
    "/yr",
    "%",
    "401(k)",
    "equity",
    "salary",
    "0",
    "1",
    "5",
    "15",
    "80",
    "120",
    "150k",
    "999999999",
    "1e9",
    "-150k",
    "0.5",
    "100,000",
    "200 000",
    "DOE",
    "competitive",
]
LOCATION_PIECES = [
    "San Francisco, CA",
    "NYC",
    "London",
    "UK",
    "US",
    "us",
    "USA",
    "Berlin, DE",
    ", DE",
    "Remote",
    "remote (US only)",
    "EU",
    "Europe",
    "New South Wales",
    "New England",
    "Northern Ireland",
    "Dublin, IE",
    "Paris",
    "Bangalore",
    "Tokyo",
    "São Paulo",
    "Zürich",
    "Toronto, ON",
    "https://jobs.example.com/us/",
    "sf.example.io",
    "/",
    " or ",
    ", ",
    " | ",
    "(",
    ")",
    "onsite",
    "hybrid",
    "🌍",
    "مدينة",
]
HEADER_PIECES = [
    "|",
    " | ",
    "Acme",
    "ML Engineer",
    "Senior",
    "REMOTE",
    "Remote",
    "onsite",
    "hybrid",
    "$150k-$200k",
    "€80k",
    "visa",
    "sponsorship",
    "https://acme.ai",
    "www.x.com",
    "\n",
    "<p>",
    "&amp;",
    "Full-time",
    "Intern",
    "Berlin",
    " ",
    "",
    "||",
    "🚀",
    "\u202e",
]


def _text(pieces: list[str]) -> st.SearchStrategy[str]:
    piece = st.sampled_from(pieces) | st.text(max_size=12)
    return st.lists(piece, max_size=10).map("".join)


def _seed(name: str) -> list[dict[str, str]]:
    with (SEEDS / f"{name}.csv").open(encoding="utf-8") as rows:
        return list(csv.DictReader(rows))


class CompiledSql(dict):
    """Model name -> compiled SQL, shown by name only in Hypothesis' failure reports."""

    def __repr__(self) -> str:
        return f"<compiled SQL of {', '.join(self)}>"


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The models' SQL, compiled by dbt against the seeds loaded in a scratch database."""
    scratch = dataclasses.replace(load_settings(), data_dir=tmp_path_factory.mktemp("fuzz-dbt"))
    code, _ = run_dbt(scratch, ["seed", "--select", "location_countries", "currency_rates"])
    assert code == 0
    code, target = run_dbt(scratch, ["compile", "--select", *MODELS])
    assert code == 0
    folder = target / "compiled" / "hiring_signals" / "models" / "intermediate"
    return CompiledSql({name: (folder / f"{name}.sql").read_text() for name in MODELS})


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory ``build`` catalog with the seeds and empty input tables."""
    with duckdb.connect() as con:
        con.execute("attach ':memory:' as build")
        for schema in ("seeds", "staging", "intermediate"):
            con.execute(f"create schema build.{schema}")
        for seed in ("location_countries", "currency_rates"):
            con.execute(
                f"create table build.seeds.{seed} as select * from read_csv(?, header = true)",
                [str(SEEDS / f"{seed}.csv")],
            )
        con.execute(
            "create table build.intermediate.int_postings_unioned (posting_id varchar, "
            "title_text varchar, header_line varchar, full_text varchar, "
            "salary_text varchar, location_text varchar)"
        )
        con.execute(
            "create table build.staging.stg_hn__postings (comment_id bigint, body_text varchar)"
        )
        yield con


def _parse_postings(
    con: duckdb.DuckDBPyConnection, sql: str, rows: list[tuple[str | None, ...]]
) -> dict[str, dict]:
    con.execute("delete from build.intermediate.int_postings_unioned")
    con.executemany(
        "insert into build.intermediate.int_postings_unioned values (?, ?, ?, ?, ?, ?)",
        [(str(i), *row) for i, row in enumerate(rows)],
    )
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return {r[0]: dict(zip(names, r, strict=True)) for r in cursor.fetchall()}


CURRENCIES = {row["currency"] for row in _seed("currency_rates")}
COUNTRIES = {row["country_code"] for row in _seed("location_countries")}
STATUSES = {"parsed", "no_numbers", "unknown_currency", "implausible", "no_salary"}


@FUZZ_SQL
@given(st.lists(_text(SALARY_PIECES) | st.none(), min_size=1, max_size=BATCH))
def test_salary_parser_gives_a_sane_annual_usd_range_or_none(compiled, con, salaries):
    rows = [("Engineer", "Acme | Engineer", "text", s, None) for s in salaries]
    parsed = _parse_postings(con, compiled["int_postings_parsed"], rows)
    assert len(parsed) == len(salaries)  # one row per posting, whatever the text
    for row in parsed.values():
        assert row["salary_parse_status"] in STATUSES
        assert row["salary_currency"] is None or row["salary_currency"] in CURRENCIES
        low, high = row["salary_min_usd"], row["salary_max_usd"]
        if row["salary_parse_status"] != "parsed":
            assert low is None and high is None
            continue
        assert 15_000 <= low <= high <= 1_500_000
        assert 0 < row["salary_min_yearly"] <= row["salary_max_yearly"]
        assert row["salary_period"] in {"hour", "month", "year"}


@FUZZ_SQL
@given(
    st.lists(
        st.tuples(
            st.integers(15, 1500),
            st.integers(0, 500),
            st.sampled_from(["${}k-${}k", "${}k - {}k", "${}K to ${}K", "USD {}k-{}k"]),
        ),
        min_size=1,
        max_size=BATCH,
    )
)
def test_salary_parser_reads_a_plain_dollar_range_exactly(compiled, con, ranges):
    texts = [pattern.format(low, min(low + extra, 1500)) for low, extra, pattern in ranges]
    rows = [("Engineer", None, None, text, None) for text in texts]
    parsed = _parse_postings(con, compiled["int_postings_parsed"], rows)
    for key, row in parsed.items():
        low, extra, _ = ranges[int(key)]
        assert row["salary_parse_status"] == "parsed", texts[int(key)]
        assert row["salary_currency"] == "USD"
        assert row["salary_min_usd"] == low * 1000
        assert row["salary_max_usd"] == min(low + extra, 1500) * 1000


@FUZZ_SQL
@given(st.lists(_text(LOCATION_PIECES) | st.none(), min_size=1, max_size=BATCH))
def test_location_parser_names_only_seed_countries(compiled, con, locations):
    rows = [("Engineer", None, None, None, loc) for loc in locations]
    parsed = _parse_postings(con, compiled["int_postings_parsed"], rows)
    assert len(parsed) == len(locations)
    for key, row in parsed.items():
        codes = set(row["countries"].split(",")) if row["countries"] else set()
        assert codes <= COUNTRIES
        assert (row["country_code"] is None) == (not codes)
        assert row["country_code"] is None or row["country_code"] in codes
        if locations[int(key)] is None:
            assert row["country_code"] is None


@FUZZ_SQL
@given(st.lists(_text(HEADER_PIECES) | st.none(), min_size=1, max_size=BATCH))
def test_header_parser_splits_any_first_line_into_its_own_segments(compiled, con, bodies):
    con.execute("delete from build.staging.stg_hn__postings")
    con.executemany(
        "insert into build.staging.stg_hn__postings values (?, ?)", list(enumerate(bodies))
    )
    cursor = con.execute(compiled["int_hn_postings_headers_parsed"])
    names = [d[0] for d in cursor.description]
    rows = {r[0]: dict(zip(names, r, strict=True)) for r in cursor.fetchall()}
    assert sorted(rows) == list(range(len(bodies)))
    for comment_id, row in rows.items():
        body = bodies[comment_id] or ""
        header = row["header_line"]
        assert header == body.split("\n", 1)[0].strip(" ")  # DuckDB's trim: spaces only
        assert row["remote_policy"] in {"hybrid", "remote_or_onsite", "remote", "onsite", "unknown"}
        named = [s for s in header.split("|") if s.strip(" ")]
        assert row["has_pipe_header"] == ("|" in header and bool(named))
        segments = [s.strip(" ") for s in header.split("|")]
        for column in ("company", "role_text", "location_text", "salary_text"):
            for part in row[column].split(" / ") if row[column] else []:
                assert part in segments or " / " in header, (column, part, header)
        if row["company"] is not None:
            assert row["has_pipe_header"] and row["company"] == segments[0]


@FUZZ
@given(st.text(max_size=60))
def test_thread_title_parser_accepts_only_real_months(title):
    month = thread_month(title)
    if month is not None:
        datetime.strptime(month, "%Y-%m")
        # 2011-2012 titles say "Who is Hiring?" and "Who Is Hiring?".
        assert title.strip().startswith("Ask HN: Who ")
        assert title.strip().lower().startswith("ask hn: who is hiring? (")


@FUZZ
@given(st.dates(min_value=datetime(1900, 1, 1).date(), max_value=datetime(9999, 1, 1).date()))
def test_thread_title_parser_reads_every_real_month_back(day):
    assert thread_month(f"Ask HN: Who is hiring? ({day:%B %Y})") == f"{day:%Y-%m}"


@FUZZ
@given(_text(["<", ">", "<p>", "</p>", "<a href='x'>", "</a>", "&amp;", "&lt;", "&#x2F;", "\n"]))
def test_html_to_text_never_fails_and_gives_trimmed_non_blank_lines(html):
    text = html_to_text(html)
    lines = text.split("\n") if text else []
    assert all(line and line == line.strip() and "  " not in line for line in lines)
    if "<" not in html and "&" not in html:  # plain text passes through, re-spaced
        words = [" ".join(line.replace("\t", " ").split(" ")) for line in html.split("\n")]
        assert lines == [re.sub(" +", " ", w).strip() for w in words if w.strip()]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)


@FUZZ
@given(JSON_VALUES, st.sampled_from(["s", "ms"]))
def test_date_check_never_fails_and_accepts_only_plausible_dates(value, unit):
    reason = implausible_date(value, unit)
    assert reason is None or reason.startswith("date ")
    if reason is None and isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if unit == "ms" else value
        assert datetime(2000, 1, 1, tzinfo=UTC).timestamp() <= seconds
        assert seconds <= datetime.now(UTC).timestamp() + 86_400


@FUZZ
@given(JSON_VALUES)
def test_scrubbed_json_is_always_utf8_encodable(value):
    text = repr(scrub_surrogates(value))
    text.encode("utf-8")
