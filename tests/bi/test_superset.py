"""Apache Superset on the published warehouse, for real: a Superset server from the
Superset venv (`make superset-venv`), provisioned through its REST API by
bi/superset/provision.py, queried through SQL Lab and looked at in headless Chromium.

One server serves the whole module, on the session's published warehouse (which is
published, if no earlier test did, while Superset sets up its metadata in a temporary
SUPERSET_HOME); the server runs in a process group of its own, always killed at the end.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
import importlib.util
import json
import math
import os
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from hiring_signals.settings import REPO_ROOT
from hiring_signals.warehouse import connect_read_only
from tests.e2e.test_report_browser import FLAGS

pytestmark = pytest.mark.slow

BI = REPO_ROOT / "bi" / "superset"
QUERIES = sorted((REPO_ROOT / "queries").glob("*.sql"))
SCREENSHOT = REPO_ROOT / "docs" / "img" / "superset-dashboard.png"
ADMIN = "admin"

_spec = importlib.util.spec_from_file_location("provision", BI / "provision.py")
provision = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(provision)

# The repository's settings plus what only this test needs: anonymous visitors get the
# Public role's minimal read-only permissions (Superset's built-in set), and with
# DASHBOARD_RBAC a dashboard shared with that role shows its charts' data to them, so
# Chromium's --screenshot can open the dashboard without signing in.
TEST_CONFIG = """\
from runpy import run_path

globals().update(
    {{k: v for k, v in run_path({config!r}).items() if k.isupper()}}
)
PUBLIC_ROLE_LIKE = "Public"
FEATURE_FLAGS = {{**FEATURE_FLAGS, "DASHBOARD_RBAC": True}}
"""


def superset_venv() -> Path:
    venv = Path(os.environ.get("SUPERSET_VENV", ".superset-venv"))
    venv = venv if venv.is_absolute() else REPO_ROOT / venv
    if not (venv / "bin" / "superset").exists():
        pytest.fail(f"no Superset venv at {venv}: run `make superset-venv` first")
    return venv


@dataclass
class Server:
    url: str
    client: Any
    provisioned: dict[str, Any]
    warehouse: Path
    python: Path
    root: Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop_group(process: subprocess.Popen, grace_s: float = 10) -> None:
    """SIGTERM to the whole process group, SIGKILL to whatever is left after the grace
    period (Superset's dev server may ignore SIGTERM)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=grace_s)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def tail(path: Path, lines: int = 60) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def run_logged(command: list[str], env: dict[str, str], log: Path, timeout: float) -> None:
    with log.open("a") as out:
        out.write(f"$ {' '.join(command)}\n")
        out.flush()
        done = subprocess.run(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=timeout
        )
    if done.returncode != 0:
        pytest.fail(f"{command[:3]} failed ({done.returncode}):\n{tail(log)}")


def wait_until_healthy(url: str, server: subprocess.Popen, log: Path, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"Superset exited with {server.returncode}:\n{tail(log)}")
        try:
            with urllib.request.urlopen(url + "/health", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"Superset not healthy after {timeout_s}s:\n{tail(log)}")


@pytest.fixture(scope="module")
def superset(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Server]:
    venv = superset_venv()
    root = tmp_path_factory.mktemp("superset")
    home = root / "home"
    home.mkdir()
    (home / "superset_config.py").write_text(
        TEST_CONFIG.format(config=str(BI / "superset_config.py"))
    )
    password = secrets.token_urlsafe(16)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(
        SUPERSET_HOME=str(home),
        SUPERSET_CONFIG_PATH=str(home / "superset_config.py"),
        SUPERSET_SECRET_KEY=secrets.token_urlsafe(42),
        PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
        DO_NOT_TRACK="1",
    )
    # Superset's setup runs niced: the pipeline's build is the critical path.
    superset_bin = str(venv / "bin" / "superset")
    nice = ["nice", "-n", "10"] if shutil.which("nice") else []
    setup_log = root / "setup.log"
    setup_errors: list[BaseException] = []

    def set_up() -> None:
        try:
            run_logged([*nice, superset_bin, "db", "upgrade"], env, setup_log, 300)
            admin = ["--username", ADMIN, "--password", password, "--firstname", "Test"]
            admin += ["--lastname", "Admin", "--email", "admin@localhost"]
            run_logged([*nice, superset_bin, "fab", "create-admin", *admin], env, setup_log, 120)
            run_logged([*nice, superset_bin, "init"], env, setup_log, 300)
        except BaseException as exc:  # pytest.fail raises outside Exception
            setup_errors.append(exc)

    # Superset builds its metadata while the session's warehouse is published (if no
    # earlier test has published it yet).
    setup = threading.Thread(target=set_up)
    setup.start()
    try:
        warehouse = request.getfixturevalue("published_run").data_dir / "analytics.duckdb"
    finally:
        setup.join()
    if setup_errors:
        raise setup_errors[0]
    assert warehouse.is_file()

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server_log = root / "server.log"
    server = None
    try:
        with server_log.open("w") as out:
            server = subprocess.Popen(
                [*nice, superset_bin, "run", "-h", "127.0.0.1", "-p", str(port), "--with-threads"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until_healthy(url, server, server_log, timeout_s=120)
        # The command line, as a person runs it, in the Superset venv's Python.
        command = [str(venv / "bin" / "python"), str(BI / "provision.py"), "--url", url]
        command += ["--warehouse", str(warehouse), "--share-with-role", "Public"]
        provisioned = subprocess.run(
            command,
            env={**env, "SUPERSET_ADMIN_USERNAME": ADMIN, "SUPERSET_ADMIN_PASSWORD": password},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert provisioned.returncode == 0, provisioned.stderr + tail(server_log)
        yield Server(
            url=url,
            client=provision.Superset(url, ADMIN, password),
            provisioned=json.loads(provisioned.stdout),
            warehouse=warehouse,
            python=venv / "bin" / "python",
            root=root,
        )
    finally:
        if server is not None:
            stop_group(server)


def test_provisioning_builds_the_dashboard_and_running_it_again_duplicates_nothing(superset):
    client, first = superset.client, superset.provisioned
    again = provision.provision(
        client,
        provision.warehouse_url(superset.warehouse),
        share_with_roles=["Public"],
        queries_dir=REPO_ROOT / "queries",
    )
    for key in ("database", "datasets", "saved_queries", "charts", "dashboard"):
        assert again[key] == first[key], key
    assert again["detached_charts"] == []

    def count(resource: str) -> int:
        return client.request("GET", f"/api/v1/{resource}/", query={"page_size": 1})["count"]

    specs = provision.chart_specs()
    with connect_read_only(superset.warehouse) as con:
        marts = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'marts'"
        ).fetchone()[0]
    assert count("database") == 1
    assert count("dataset") == marts  # every mart, one physical dataset each
    assert count("chart") == len(specs)
    assert count("dashboard") == 1
    assert count("saved_query") == len(QUERIES)

    database = client.request("GET", f"/api/v1/database/{first['database']}/connection")
    database = database["result"]
    assert database["allow_dml"] is False and database["expose_in_sqllab"] is True
    assert database["sqlalchemy_uri"] == provision.warehouse_url(superset.warehouse)
    driver_config = json.loads(database["extra"])["engine_params"]["connect_args"]["config"]
    assert driver_config == {
        "access_mode": "read_only",
        "enable_external_access": False,
        "lock_configuration": True,
    }

    dashboard = client.request("GET", f"/api/v1/dashboard/{provision.DASHBOARD_SLUG}")["result"]
    assert dashboard["dashboard_title"] == "ML hiring" and dashboard["published"] is True
    assert [role["name"] for role in dashboard["roles"]] == ["Public"]
    on_it = client.request("GET", f"/api/v1/dashboard/{first['dashboard']}/charts")["result"]
    assert sorted(chart["slice_name"] for chart in on_it) == sorted(s["name"] for s in specs)


def plain(value: Any) -> Any:
    """A DuckDB value as Superset's JSON answer carries it."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def same(got: Any, expected: Any) -> bool:
    if isinstance(expected, float) and isinstance(got, int | float):
        return math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-12)
    return got == expected


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_every_saved_query_answers_in_sql_lab_as_duckdb_does(superset, path):
    sql = path.read_text()
    answer = superset.client.sql(superset.provisioned["database"], sql)
    with connect_read_only(superset.warehouse) as con:
        cursor = con.execute(sql)
        names = [column[0] for column in cursor.description]
        expected = [[plain(v) for v in row] for row in cursor.fetchall()]
    assert expected, f"{path.name} answers no rows on the bundled data"
    assert [c["column_name"] for c in answer["columns"]] == names
    got = [[row[name] for name in names] for row in answer["data"]]
    assert len(got) == len(expected), "SQL Lab must keep the query's own LIMIT"
    for number, (got_row, expected_row) in enumerate(zip(got, expected, strict=True)):
        assert all(map(same, got_row, expected_row)), (number, got_row, expected_row)


def test_sql_lab_refuses_writes_and_the_servers_files(superset, tmp_path):
    database = superset.provisioned["database"]
    with connect_read_only(superset.warehouse) as con:
        before = con.execute("select count(*) from marts.fct_hiring_verdict").fetchone()[0]
    writes = [
        "create table marts.superset_probe as select 1 as x",
        "insert into marts.fct_hiring_verdict select * from marts.fct_hiring_verdict",
        "drop table marts.fct_hiring_verdict",
    ]
    for sql in writes:
        with pytest.raises(provision.SupersetError) as refused:
            superset.client.sql(database, sql)
        assert "DML_NOT_ALLOWED_ERROR" in refused.value.body, sql

    # Not a write, so Superset lets it through; DuckDB's settings refuse it.
    secret = tmp_path / "secret.csv"
    secret.write_text("token\nhunter2\n")
    with pytest.raises(provision.SupersetError) as refused:
        superset.client.sql(database, f"select * from read_csv('{secret}')")
    assert "disabled by configuration" in refused.value.body

    with connect_read_only(superset.warehouse) as con:
        tables = {
            name for (name,) in con.execute("select table_name from duckdb_tables()").fetchall()
        }
        after = con.execute("select count(*) from marts.fct_hiring_verdict").fetchone()[0]
    assert "superset_probe" not in tables and "fct_hiring_verdict" in tables
    assert after == before


PROBE = """\
import json
import sys

import sqlalchemy

engine = sqlalchemy.create_engine(sys.argv[1])
with engine.connect() as con:
    rows = con.exec_driver_sql("select count(*) from marts.fct_job_postings").scalar()
    try:
        con.exec_driver_sql("create table marts.superset_probe (x integer)")
        outcome = "created"
    except Exception as error:
        outcome = f"refused: {error}"
print(json.dumps({"rows": rows, "outcome": outcome}))
"""


def test_the_registered_url_alone_opens_duckdb_read_only(superset):
    """The URL of README and docker-compose.yml, without Superset's extra settings:
    duckdb-engine must hand access_mode=read_only to DuckDB."""
    url = provision.warehouse_url(superset.warehouse)
    probe = subprocess.run(
        [str(superset.python), "-c", PROBE, url], capture_output=True, text=True, timeout=120
    )
    assert probe.returncode == 0, probe.stderr
    answer = json.loads(probe.stdout.strip().splitlines()[-1])
    assert answer["rows"] > 0
    assert answer["outcome"].startswith("refused:") and "read-only" in answer["outcome"], answer


PIXELS = """\
import json, sys
from PIL import Image

image = Image.open(sys.argv[1]).convert("RGB")
pixels = image.width * image.height
saturation = image.convert("HSV").getchannel("S").histogram()
grey = image.convert("L").histogram()
print(json.dumps({
    "size": image.size,
    "colourful": sum(saturation[80:]) / pixels,
    "ink": sum(grey[:235]) / pixels,
}))
"""


def test_the_dashboard_renders_its_charts_in_chromium(superset, tmp_path):
    dashboard = f"{superset.url}/superset/dashboard/{provision.DASHBOARD_SLUG}/"
    # Shared with the Public role: no sign-in page for an anonymous visitor.
    with urllib.request.urlopen(dashboard, timeout=30) as page:
        assert page.status == 200 and "/login" not in page.url

    binary = shutil.which("chromium")
    assert binary, "Chromium is required (Debian package chromium; `make chromium`)"
    shot = tmp_path / "dashboard.png"
    page = ["--window-size=1400,1900", "--virtual-time-budget=30000", "--dump-dom"]
    page += [f"--screenshot={shot}", dashboard]
    browser = subprocess.run(
        [binary, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *page],
        capture_output=True,
        text=True,
        timeout=180,
    )
    dom = browser.stdout
    specs = provision.chart_specs()
    echarts = [s for s in specs if s["params"]["viz_type"].startswith("echarts_")]
    assert dom.count("_echarts_instance_") == len(echarts), "every ECharts chart drew"
    assert "superset-chart-table" in dom and "no significant change" in dom
    for name, chart_id in superset.provisioned["charts"].items():
        assert f"dashboard-chart-id-{chart_id} " in dom, name
    assert "Data error" not in dom and 'role="alert"' not in dom

    assert shot.stat().st_size > 100_000
    stats = json.loads(
        subprocess.run(
            [str(superset.python), "-c", PIXELS, str(shot)],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
    )
    assert stats["size"] == [1400, 1900]
    assert stats["colourful"] > 0.01, stats  # chart lines and bars, not an empty page
    assert stats["ink"] > 0.03, stats
    if os.environ.get("HS_UPDATE_SCREENSHOTS"):
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)
