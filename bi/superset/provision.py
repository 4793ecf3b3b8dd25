"""Provision Superset for hiring-signals through its REST API, as code.

Registers the published warehouse (read-only, no DML, exposed in SQL Lab), a dataset
for every table of the `marts` schema, the
saved analyst queries of `queries/` in SQL Lab, the charts of the "ML hiring" dashboard
and the dashboard itself. Every object is looked up by its name first and updated in
place, so running this again changes nothing but what the code changed: it never
duplicates. `--share-with-role Public` lets that role view the dashboard (with the
DASHBOARD_RBAC feature flag; the test uses it for an anonymous screenshot).

Standard library only: it runs in the Superset venv, in the Superset image, or in any
Python 3.11+.

    SUPERSET_ADMIN_USERNAME=admin SUPERSET_ADMIN_PASSWORD=... \\
        python bi/superset/provision.py --url http://127.0.0.1:8088 \\
        --warehouse data/analytics.duckdb
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

DATABASE_NAME = "hiring_signals"
SCHEMA = "marts"
DASHBOARD_SLUG = "ml-hiring"
DASHBOARD_TITLE = "ML hiring"
# The headline series: HN "Who is hiring?" postings, shares from the posting classifier
# on full text, the verdict's method.
HN_SERIES = [("source_name", "hn_whoishiring"), ("classification_method", "posting")]


# DuckDB's own settings for BI sessions (the same as hiring_signals.warehouse's
# ANALYST_CONFIG): read-only, no other files or URLs, settings locked.
ANALYST_SETTINGS = "access_mode=read_only&enable_external_access=false&lock_configuration=true"


def warehouse_url(path: str | Path) -> str:
    """The SQLAlchemy URL of the published warehouse, locked down by DuckDB itself.

    duckdb-engine hands URL query parameters to `duckdb.connect(config=...)`, so DuckDB
    refuses every write, every other file (COPY, ATTACH, read_csv) and every SET."""
    return f"duckdb:///{os.path.abspath(path)}?{ANALYST_SETTINGS}"


# --- a small REST client ---------------------------------------------------------------


class SupersetError(RuntimeError):
    def __init__(self, method: str, url: str, status: int, body: str) -> None:
        super().__init__(f"{method} {url} -> HTTP {status}: {body[:2000]}")
        self.status = status
        self.body = body


def rison(value: Any) -> str:
    """Encode a value as Rison, the URL notation of Superset's `q` parameter."""
    if value is True:
        return "!t"
    if value is False:
        return "!f"
    if value is None:
        return "!n"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, str):
        return "'" + value.replace("!", "!!").replace("'", "!'") + "'"
    if isinstance(value, list | tuple):
        return "!(" + ",".join(rison(v) for v in value) + ")"
    if isinstance(value, dict):
        return "(" + ",".join(f"{k}:{rison(v)}" for k, v in value.items()) + ")"
    raise TypeError(f"cannot encode {type(value).__name__} as rison")


class Superset:
    """An admin's session with Superset's REST API.

    The access token of /api/v1/security/login authenticates API calls, and writes
    also need the CSRF token with the session cookie it belongs to. When the Public
    role may read dashboards or charts, Flask-AppBuilder answers those endpoints as
    the anonymous user without looking at the token, so lookups would miss what only
    the admin sees and provisioning would duplicate it: the client therefore also
    signs in through the login form, as a browser does, and checks who it is."""

    def __init__(self, base_url: str, username: str, password: str, timeout: float = 60):
        self.base = base_url.rstrip("/")
        self.timeout = timeout
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.headers = {"Accept": "application/json", "Referer": self.base + "/"}
        token = self.request(
            "POST",
            "/api/v1/security/login",
            {"username": username, "password": password, "provider": "db", "refresh": False},
        )["access_token"]
        self.headers["Authorization"] = f"Bearer {token}"
        self._form_login(username, password)
        me = self.request("GET", "/api/v1/me/")["result"]
        if me.get("username") != username:
            raise RuntimeError(f"signed in to {self.base} but the session is {me}")
        self.headers["X-CSRFToken"] = self.request("GET", "/api/v1/security/csrf_token/")["result"]

    def _form_login(self, username: str, password: str) -> None:
        with self.opener.open(self.base + "/login/", timeout=self.timeout) as page:
            html = page.read().decode()
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        if not found:
            raise RuntimeError(f"no CSRF token in the login page of {self.base}")
        form = {"username": username, "password": password, "csrf_token": found.group(1)}
        login = urllib.request.Request(
            self.base + "/login/",
            data=urllib.parse.urlencode(form).encode(),
            method="POST",
            headers={"Referer": self.base + "/login/"},
        )
        with self.opener.open(login, timeout=self.timeout) as answer:
            answer.read()

    def request(
        self, method: str, path: str, body: Any = None, query: Any = None
    ) -> dict[str, Any]:
        url = self.base + path
        if query is not None:
            url += "?q=" + urllib.parse.quote(rison(query), safe="")
        data = None
        headers = dict(self.headers)
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with self.opener.open(req, timeout=self.timeout) as response:
                text = response.read().decode()
        except urllib.error.HTTPError as error:
            raise SupersetError(method, url, error.code, error.read().decode()) from None
        return json.loads(text) if text else {}

    def find(self, resource: str, **equal: Any) -> list[dict[str, Any]]:
        """Objects of `resource` whose columns equal the given values."""
        filters = [{"col": col, "opr": "eq", "value": value} for col, value in equal.items()]
        found = self.request(
            "GET", f"/api/v1/{resource}/", query={"filters": filters, "page_size": 100}
        )
        return found["result"]

    def upsert(self, resource: str, existing: list[dict[str, Any]], body: dict) -> int:
        """Update the first existing object with `body`, or create one; return its id."""
        if existing:
            pk = existing[0]["id"]
            self.request("PUT", f"/api/v1/{resource}/{pk}", body)
            return pk
        return self.request("POST", f"/api/v1/{resource}/", body)["id"]

    def sql(self, database_id: int, sql: str, schema: str = SCHEMA, limit: int = 10_000) -> dict:
        """Run one statement through SQL Lab, synchronously; the API's whole answer."""
        return self.request(
            "POST",
            "/api/v1/sqllab/execute/",
            {
                "database_id": database_id,
                "sql": sql,
                "schema": schema,
                "runAsync": False,
                "queryLimit": limit,
                "client_id": f"hs{time.monotonic_ns() % 10**8}",
            },
        )


# --- what is provisioned ---------------------------------------------------------------


def ensure_database(client: Superset, url: str) -> int:
    body = {
        "database_name": DATABASE_NAME,
        "sqlalchemy_uri": url,
        "expose_in_sqllab": True,
        "allow_dml": False,
        "allow_ctas": False,
        "allow_cvas": False,
        "allow_file_upload": False,
        "allow_run_async": False,
        "extra": json.dumps(
            {
                # DuckDB's own settings as driver arguments: read-only once more (a URL
                # edited in the UI cannot drop it), and no access to the server's files
                # (read_csv('/etc/passwd'), ATTACH, extension installs) from SQL Lab.
                "engine_params": {
                    "connect_args": {
                        "config": {
                            "access_mode": "read_only",
                            "enable_external_access": False,
                            "lock_configuration": True,
                        }
                    }
                },
                "schemas_allowed_for_file_upload": [],
            }
        ),
    }
    return client.upsert("database", client.find("database", database_name=DATABASE_NAME), body)


def mart_tables(client: Superset, database_id: int) -> list[str]:
    """Every table of the marts schema as the warehouse lists it now."""
    answer = client.request(
        "GET",
        f"/api/v1/database/{database_id}/tables/",
        query={"schema_name": SCHEMA, "force": True},
    )
    return sorted(t["value"] for t in answer["result"] if t.get("type", "table") == "table")


def ensure_dataset(client: Superset, database_id: int, table: str) -> int:
    """A physical dataset for a mart."""
    existing = [
        d
        for d in client.find("dataset", table_name=table)
        if d.get("schema") == SCHEMA and (d.get("database") or {}).get("id") == database_id
    ]
    if existing:
        pk = existing[0]["id"]
        # Columns follow the warehouse: new mart columns appear, dropped ones go.
        client.request("PUT", f"/api/v1/dataset/{pk}/refresh")
        return pk
    body = {"database": database_id, "schema": SCHEMA, "table_name": table}
    return client.request("POST", "/api/v1/dataset/", body)["id"]


def ensure_saved_queries(client: Superset, database_id: int, folder: Path) -> dict[str, int]:
    """Each `queries/*.sql` file as a SQL Lab saved query, its leading comment the
    description."""
    saved = {}
    for path in sorted(folder.glob("*.sql")):
        sql = path.read_text()
        comment = [
            line.removeprefix("--").strip() for line in sql.splitlines() if line.startswith("--")
        ]
        body = {
            "db_id": database_id,
            "label": path.stem,
            "schema": SCHEMA,
            "sql": sql,
            "description": " ".join(comment),
        }
        existing = [
            q for q in client.find("saved_query", label=path.stem) if q["label"] == path.stem
        ]
        saved[path.stem] = client.upsert("saved_query", existing, body)
    return saved


def metric(sql: str, label: str) -> dict[str, Any]:
    return {
        "expressionType": "SQL",
        "sqlExpression": sql,
        "label": label,
        "hasCustomLabel": True,
        "optionName": "metric_" + "".join(c if c.isalnum() else "_" for c in label.lower()),
    }


def equals(column: str, value: str) -> dict[str, Any]:
    return {
        "expressionType": "SIMPLE",
        "subject": column,
        "operator": "==",
        "comparator": value,
        "clause": "WHERE",
        "isExtra": False,
        "filterOptionName": f"filter_{column}",
    }


def monthly_share(family: str, label: str) -> dict[str, Any]:
    """A line per month: the share of `family` and the bounds of its 95% interval."""
    return {
        "viz_type": "echarts_timeseries_line",
        "x_axis": "posting_month",
        "time_grain_sqla": "P1M",
        "metrics": [
            metric(f"MAX({family}_share)", f"{label} share"),
            metric(f"MAX({family}_share_ci_low)", "95% interval, low"),
            metric(f"MAX({family}_share_ci_high)", "95% interval, high"),
        ],
        "groupby": [],
        "adhoc_filters": [equals(col, value) for col, value in HN_SERIES],
        "row_limit": 1000,
        "y_axis_format": ".1%",
        "y_axis_bounds": [0, None],
        "x_axis_time_format": "%Y-%m",
        "show_legend": True,
        "legendType": "scroll",
        "legendOrientation": "top",
        "rich_tooltip": True,
        "markerEnabled": True,
        "markerSize": 4,
    }


def chart_specs() -> list[dict[str, Any]]:
    """The dashboard's charts in layout order: name, dataset, description, form data,
    width in grid columns (12 a row)."""
    postings = {
        "viz_type": "echarts_timeseries_bar",
        "x_axis": "posting_month",
        "time_grain_sqla": "P1M",
        "metrics": [
            metric("SUM(postings)", "postings landed"),
            metric("MAX(thread_top_level_comments)", "top-level comments in the thread"),
        ],
        "groupby": [],
        "adhoc_filters": [equals(col, value) for col, value in HN_SERIES],
        "row_limit": 1000,
        "y_axis_format": "SMART_NUMBER",
        "x_axis_time_format": "%Y-%m",
        "show_legend": True,
        "legendType": "scroll",
        "legendOrientation": "top",
        "rich_tooltip": True,
    }
    top_skills = {
        "viz_type": "echarts_timeseries_bar",
        "x_axis": "skill",
        "metrics": [
            metric("SUM(postings_last_6_months)", "last 6 months"),
            metric("SUM(postings_previous_6_months)", "6 months before"),
        ],
        "groupby": [],
        "adhoc_filters": [],
        "row_limit": 15,
        "x_axis_sort": "last 6 months",
        "x_axis_sort_asc": False,
        "orientation": "horizontal",
        "y_axis_format": "SMART_NUMBER",
        "show_legend": True,
        "legendOrientation": "top",
        "rich_tooltip": True,
    }
    verdict = {
        "viz_type": "table",
        "query_mode": "raw",
        "all_columns": ["measure", "subject", "baseline", "verdict"],
        "adhoc_filters": [equals(col, value) for col, value in HN_SERIES],
        "order_by_cols": [],
        "row_limit": 100,
        "server_pagination": False,
        "include_search": False,
        "show_cell_bars": False,
    }
    return [
        {
            "name": "ML share of HN postings by month, 95% interval",
            "table": "fct_ml_hiring_monthly",
            "description": "Share of HN Who is hiring? postings whose title names an ML "
            "role, with its 95% Wilson interval. Nov-Dec 2025 have no data.",
            "params": monthly_share("ml", "ML"),
            "width": 12,
        },
        {
            "name": "Deep-learning share by month, 95% interval",
            "table": "fct_ml_hiring_monthly",
            "description": "Share of postings whose title names deep learning, with its "
            "95% Wilson interval.",
            "params": monthly_share("deep_learning", "deep-learning"),
            "width": 6,
        },
        {
            "name": "LLM share by month, 95% interval",
            "table": "fct_ml_hiring_monthly",
            "description": "Share of postings whose title names LLM work, with its 95% "
            "Wilson interval.",
            "params": monthly_share("llm", "LLM"),
            "width": 6,
        },
        {
            "name": "HN postings per month",
            "table": "fct_ml_hiring_monthly",
            "description": "Postings landed each month beside the real number of top-level "
            "comments in that month's thread: the gap is missing coverage.",
            "params": postings,
            "width": 6,
        },
        {
            "name": "Top skills: last 6 months of data and the 6 before",
            "table": "fct_skills_last_12_months",
            "description": "Skills named most often in HN postings over the newest six "
            "months of data, beside the six months before, read from the full text of "
            "every thread comment.",
            "params": top_skills,
            "width": 6,
        },
        {
            "name": "Verdict: have ML jobs collapsed?",
            "table": "fct_hiring_verdict",
            "description": "The answer's verdicts: the last six months against the six "
            "before and against a year earlier.",
            "params": verdict,
            "width": 12,
        },
    ]


def ensure_chart(client: Superset, spec: dict[str, Any], dataset_id: int, dashboard_id: int) -> int:
    params = {**spec["params"], "datasource": f"{dataset_id}__table"}
    body = {
        "slice_name": spec["name"],
        "description": spec["description"],
        "viz_type": params["viz_type"],
        "datasource_id": dataset_id,
        "datasource_type": "table",
        "params": json.dumps(params),
        "dashboards": [dashboard_id],
    }
    return client.upsert("chart", client.find("chart", slice_name=spec["name"]), body)


def layout(charts: list[tuple[dict[str, Any], int]]) -> dict[str, Any]:
    """position_json: one row per 12 grid columns, charts in the order given."""
    position: dict[str, Any] = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"type": "HEADER", "id": "HEADER_ID", "meta": {"text": DASHBOARD_TITLE}},
    }
    rows: list[list[tuple[dict[str, Any], int]]] = []
    for spec, chart_id in charts:
        if not rows or sum(s["width"] for s, _ in rows[-1]) + spec["width"] > 12:
            rows.append([])
        rows[-1].append((spec, chart_id))
    for number, row in enumerate(rows, start=1):
        row_id = f"ROW-{number}"
        position["GRID_ID"]["children"].append(row_id)
        position[row_id] = {
            "type": "ROW",
            "id": row_id,
            "children": [],
            "parents": ["ROOT_ID", "GRID_ID"],
            "meta": {"background": "BACKGROUND_TRANSPARENT"},
        }
        for spec, chart_id in row:
            component = f"CHART-{chart_id}"
            position[row_id]["children"].append(component)
            position[component] = {
                "type": "CHART",
                "id": component,
                "children": [],
                "parents": ["ROOT_ID", "GRID_ID", row_id],
                "meta": {
                    "chartId": chart_id,
                    "sliceName": spec["name"],
                    "width": spec["width"],
                    "height": 72 if spec["params"]["viz_type"] == "table" else 50,
                },
            }
    return position


def ensure_dashboard(client: Superset) -> int:
    try:
        return client.request("GET", f"/api/v1/dashboard/{DASHBOARD_SLUG}")["result"]["id"]
    except SupersetError as error:
        if error.status != 404:
            raise
    body = {"dashboard_title": DASHBOARD_TITLE, "slug": DASHBOARD_SLUG, "published": True}
    return client.request("POST", "/api/v1/dashboard/", body)["id"]


def role_ids(client: Superset, names: list[str]) -> list[int]:
    """Ids of the named roles, as the dashboard's related-roles endpoint lists them."""
    listed = client.request("GET", "/api/v1/dashboard/related/roles", query={"page_size": 100})
    by_name = {item["text"]: item["value"] for item in listed["result"]}
    missing = [name for name in names if name not in by_name]
    if missing:
        raise SystemExit(f"unknown Superset roles: {missing}")
    return [by_name[name] for name in names]


def detach_other_charts(client: Superset, dashboard_id: int, keep: set[int]) -> list[str]:
    """Take charts off the dashboard that the code no longer names (they are kept, only
    unlinked); return their names."""
    detached = []
    for chart in client.request("GET", f"/api/v1/dashboard/{dashboard_id}/charts")["result"]:
        if chart["id"] in keep:
            continue
        linked = client.request("GET", f"/api/v1/chart/{chart['id']}")["result"]["dashboards"]
        remaining = [d["id"] for d in linked if d["id"] != dashboard_id]
        client.request("PUT", f"/api/v1/chart/{chart['id']}", {"dashboards": remaining})
        detached.append(chart["slice_name"])
    return detached


def provision(
    client: Superset,
    database_url: str,
    share_with_roles: list[str] | None = None,
    queries_dir: Path | None = None,
) -> dict[str, Any]:
    """Create or update everything; return the ids of what was provisioned."""
    missing = [s for s in ANALYST_SETTINGS.split("&") if s not in database_url]
    if missing:
        raise SystemExit(f"refusing a warehouse URL without {', '.join(missing)}: {database_url}")
    database_id = ensure_database(client, database_url)
    datasets = {
        table: ensure_dataset(client, database_id, table)
        for table in mart_tables(client, database_id)
    }
    saved_queries = ensure_saved_queries(client, database_id, queries_dir) if queries_dir else {}
    dashboard_id = ensure_dashboard(client)
    charts = []
    for spec in chart_specs():
        if spec["table"] not in datasets:
            raise SystemExit(f"mart {SCHEMA}.{spec['table']} is missing from the warehouse")
        charts.append((spec, ensure_chart(client, spec, datasets[spec["table"]], dashboard_id)))
    detached = detach_other_charts(client, dashboard_id, {chart_id for _, chart_id in charts})
    body: dict[str, Any] = {
        "dashboard_title": DASHBOARD_TITLE,
        "slug": DASHBOARD_SLUG,
        "published": True,
        "position_json": json.dumps(layout(charts)),
        "json_metadata": json.dumps(
            {
                "color_scheme": "supersetColors",
                "refresh_frequency": 0,
                "cross_filters_enabled": False,
                "native_filter_configuration": [],
                "timed_refresh_immune_slices": [],
                "expanded_slices": {},
                "label_colors": {},
            }
        ),
    }
    if share_with_roles is not None:
        # With DASHBOARD_RBAC on, these roles may view the dashboard and its charts'
        # data; an empty list takes the sharing back.
        body["roles"] = role_ids(client, share_with_roles)
    client.request("PUT", f"/api/v1/dashboard/{dashboard_id}", body)
    return {
        "database": database_id,
        "datasets": datasets,
        "saved_queries": saved_queries,
        "charts": {spec["name"]: chart_id for spec, chart_id in charts},
        "detached_charts": detached,
        "dashboard": dashboard_id,
        "dashboard_url": f"{client.base}/superset/dashboard/{DASHBOARD_SLUG}/",
    }


def warehouse_file(database_url: str) -> Path | None:
    """The local file behind a duckdb:/// URL (None for other URLs)."""
    prefix = "duckdb:///"
    if not database_url.startswith(prefix):
        return None
    path = urllib.parse.unquote(database_url[len(prefix) :].split("?", 1)[0])
    return Path(path) if path and not path.startswith(":") else None


def wait_for_file(path: Path, timeout_s: float) -> None:
    """Until the pipeline has published the warehouse (a fresh deployment has none)."""
    deadline = time.monotonic() + timeout_s
    while not path.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"no warehouse at {path} after {timeout_s:.0f}s")
        time.sleep(10)


def wait_until_healthy(base_url: str, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(base_url.rstrip("/") + "/health", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"Superset at {base_url} not healthy after {timeout_s:.0f}s")
        time.sleep(1)


def default_queries_dir() -> Path | None:
    """The repository's saved queries, when this file sits in a checkout."""
    if os.environ.get("HIRING_SIGNALS_QUERIES"):
        return Path(os.environ["HIRING_SIGNALS_QUERIES"])
    repo_queries = Path(__file__).resolve().parents[2] / "queries"
    return repo_queries if repo_queries.is_dir() else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--url",
        default=os.environ.get("SUPERSET_URL", "http://127.0.0.1:8088"),
        help="Superset base URL (env SUPERSET_URL)",
    )
    target = parser.add_mutually_exclusive_group()
    target.add_argument(
        "--warehouse",
        default=os.environ.get("HIRING_SIGNALS_WAREHOUSE", "data/analytics.duckdb"),
        help="path of the published analytics.duckdb as the Superset server sees it "
        "(env HIRING_SIGNALS_WAREHOUSE); registered with a read-only URL",
    )
    target.add_argument(
        "--database-url",
        default=os.environ.get("HIRING_SIGNALS_DUCKDB_URL"),
        help="the full SQLAlchemy URL instead (env HIRING_SIGNALS_DUCKDB_URL); must carry "
        f"{ANALYST_SETTINGS}",
    )
    parser.add_argument(
        "--queries",
        type=Path,
        default=default_queries_dir(),
        help="folder of saved analyst queries to register in SQL Lab "
        "(env HIRING_SIGNALS_QUERIES; default: the repository's queries/)",
    )
    parser.add_argument(
        "--share-with-role",
        action="append",
        default=None,
        metavar="ROLE",
        help="let this role view the dashboard and its charts (needs the DASHBOARD_RBAC "
        "feature flag); repeatable",
    )
    parser.add_argument(
        "--wait",
        type=float,
        default=0,
        metavar="SECONDS",
        help="first wait up to this long for Superset's /health",
    )
    parser.add_argument(
        "--wait-for-warehouse",
        type=float,
        default=0,
        metavar="SECONDS",
        help="first wait up to this long for the warehouse file to be published (when "
        "this process sees the path Superset opens, as in docker-compose.yml)",
    )
    args = parser.parse_args(argv)
    username = os.environ.get("SUPERSET_ADMIN_USERNAME", "admin")
    password = os.environ.get("SUPERSET_ADMIN_PASSWORD")
    if not password:
        parser.error("set SUPERSET_ADMIN_PASSWORD (and SUPERSET_ADMIN_USERNAME, default admin)")
    url = args.database_url or warehouse_url(args.warehouse)
    if args.wait:
        wait_until_healthy(args.url, args.wait)
    if args.wait_for_warehouse and (path := warehouse_file(url)):
        wait_for_file(path, args.wait_for_warehouse)
    client = Superset(args.url, username, password)
    result = provision(client, url, args.share_with_role, args.queries)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
