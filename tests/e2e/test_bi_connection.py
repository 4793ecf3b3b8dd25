"""What a BI tool does through SQLAlchemy (duckdb-engine), on the published warehouse.

The URL is the one the README and docker-compose give Superset
(``hiring_signals.warehouse.analyst_url``: read-only, no other files, settings locked).
One process cannot hold connections to one DuckDB file with different settings, so each
test reads what it expects with duckdb directly before the engine connects, or after it
is disposed.
"""

import hashlib
from datetime import date

import pytest
import sqlalchemy as sa

from hiring_signals.warehouse import analyst_url, connect_read_only

pytestmark = pytest.mark.slow


@pytest.fixture
def engine(published):
    engine = sa.create_engine(analyst_url(published.analytics_db))
    yield engine
    engine.dispose()


def published_tables(settings) -> set[str]:
    with connect_read_only(settings.analytics_db) as con:
        rows = con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
    return {name for (name,) in rows}


def test_the_url_opens_the_warehouse_read_only(engine):
    with engine.connect() as con:
        mode = con.execute(sa.text("select current_setting('access_mode')")).scalar_one()
    assert mode == "read_only"


def test_a_bi_tool_lists_schemas_tables_and_typed_columns(engine, published):
    marts = published_tables(published)
    inspector = sa.inspect(engine)

    schemas = inspector.get_schema_names()
    # duckdb-engine names schemas <database>.<schema>; the internal ones are not published.
    assert {"analytics.marts", "analytics.meta", "analytics.seeds"} <= set(schemas)
    assert not [s for s in schemas if s.endswith((".staging", ".intermediate"))]

    tables = set(inspector.get_table_names(schema="marts"))
    assert tables == marts
    assert {"fct_job_postings", "fct_ml_hiring_monthly", "dim_companies"} <= tables

    # Column reflection (inspector.get_columns) fails with this SQLAlchemy (see the strict
    # xfail below); BI tools that list columns from information_schema get them typed.
    with engine.connect() as con:
        columns = dict(
            con.execute(
                sa.text(
                    "select column_name, data_type from information_schema.columns "
                    "where table_schema = 'marts' and table_name = :table"
                ),
                {"table": "fct_ml_hiring_monthly"},
            ).all()
        )
    assert columns["posting_month"] == "DATE"
    assert columns["ml_share"] == "DOUBLE"
    assert columns["source_name"] == "VARCHAR"
    assert columns["postings"] in ("BIGINT", "INTEGER", "HUGEINT")


@pytest.mark.xfail(
    strict=True,
    raises=sa.exc.ProgrammingError,
    reason="duckdb-engine 0.17.0 with SQLAlchemy >= 2.0.45 reflects columns with a query "
    "on pg_catalog.pg_collation that DuckDB 2.0.1 cannot bind (Mause/duckdb_engine#1379); "
    "when this passes, drop the information_schema note in the README",
)
def test_sqlalchemy_column_reflection(engine):
    columns = sa.inspect(engine).get_columns("fct_ml_hiring_monthly", schema="marts")
    assert "posting_month" in {c["name"] for c in columns}


def test_a_grouped_aggregate_with_a_date_filter_matches_duckdb(engine, published):
    postings = sa.Table(
        "fct_job_postings",
        sa.MetaData(schema="marts"),
        sa.Column("posting_month", sa.Date),
        sa.Column("is_ml", sa.Boolean),
        sa.Column("source_name", sa.String),
    )
    since = date(2025, 7, 1)
    with connect_read_only(published.analytics_db) as con:
        direct = con.execute(
            "select posting_month, count(*), count(*) filter (where is_ml) "
            "from marts.fct_job_postings "
            "where posting_month >= ? and source_name = 'hn_whoishiring' "
            "group by 1 order by 1",
            [since],
        ).fetchall()
    ml = sa.func.count().filter(postings.c.is_ml)
    statement = (
        sa.select(postings.c.posting_month, sa.func.count().label("postings"), ml.label("ml"))
        .where(postings.c.posting_month >= since)
        .where(postings.c.source_name == "hn_whoishiring")
        .group_by(postings.c.posting_month)
        .order_by(postings.c.posting_month)
    )
    with engine.connect() as con:
        through_bi = [tuple(row) for row in con.execute(statement)]

    assert through_bi == direct
    assert [row[0] for row in through_bi] == [
        date(2025, 7, 1),
        date(2025, 8, 1),
        date(2025, 9, 1),
        date(2025, 10, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
    ], "months since July 2025, without the two months the bundled data lacks"
    assert all(0 < ml < total for _, total, ml in through_bi)


@pytest.mark.parametrize(
    "statement",
    [
        "create table marts.bi_scratch as select 1 as x",
        "insert into marts.dim_skills (skill) values ('not a skill')",
        "drop table marts.fct_job_postings",
    ],
)
def test_writes_through_the_bi_connection_are_refused(engine, published, statement):
    before = hashlib.sha256(published.analytics_db.read_bytes()).hexdigest()

    with engine.connect() as con, pytest.raises(sa.exc.DBAPIError, match="read-only"):
        con.execute(sa.text(statement))
        con.commit()

    engine.dispose()
    assert hashlib.sha256(published.analytics_db.read_bytes()).hexdigest() == before
    assert "fct_job_postings" in published_tables(published)
