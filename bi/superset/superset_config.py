"""Superset settings for hiring-signals: SQLite metadata in SUPERSET_HOME, no DML.

Used by the Superset image of docker-compose.yml (SUPERSET_HOME=/app/superset_home, a
volume) and by tests/bi, which points SUPERSET_HOME at a temporary folder.
"""

import os

SECRET_KEY = os.environ["SUPERSET_SECRET_KEY"]
SUPERSET_HOME = os.environ.get("SUPERSET_HOME", "/app/superset_home")
SQLALCHEMY_DATABASE_URI = "sqlite:///" + os.path.join(SUPERSET_HOME, "superset.db")
# The warehouse is registered read-only with no access to other files and locked
# settings (DuckDB's access_mode, enable_external_access and lock_configuration in its
# URL and driver arguments, volume mounted :ro) with DML off (bi/superset/provision.py);
# Jinja in SQL Lab stays off so scraped text is never templated.
FEATURE_FLAGS = {"ENABLE_TEMPLATE_PROCESSING": False}


def FLASK_APP_MUTATOR(app):
    """SQL Lab row limits on DuckDB by fetching, not by rewriting the SQL.

    Superset 6.1.0's synchronous SQL Lab replaces a query's own smaller LIMIT with the
    row limit of the editor (`limit 20` came back as 33 rows): the limit it computed is
    not yet committed when the statement is rewritten. With FETCH_MANY the SQL runs as
    written and Superset only stops fetching at its row limit; the DuckDB engine spec
    supports this method. tests/bi/test_superset.py checks every saved query's rows.
    """
    from superset.db_engine_specs.base import LimitMethod
    from superset.db_engine_specs.duckdb import DuckDBEngineSpec

    DuckDBEngineSpec.limit_method = LimitMethod.FETCH_MANY
