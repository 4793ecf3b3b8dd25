"""The hostile-input world: a loopback API server serving the corpus, and one pipeline run.

``tests/fixtures/hostile/corpus.json`` holds the committed cases; the few that would
bloat git (10 MB bodies, 100k-deep nesting, raw invalid UTF-8 bytes) are generated
here. Everything goes through the real ingest path (live mode over a socket), the real
dbt build, the gate and publish, in one ``hiring-signals run`` shared by the tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from hiring_signals.http import canonical_query
from hiring_signals.sources.hn_whoishiring import DISCOVERY_PARAMS
from tests.conftest import CLI, live_mode_env
from tests.replay_server import ReplayServer

CORPUS_FILE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile" / "corpus.json"
THREAD_ID = 90000001
TEN_MB = 10 * 1024 * 1024
# A token shaped like a Reddit OAuth bearer token, unique enough to grep for.
FAKE_REDDIT_TOKEN = "hs-fake-reddit-token-7Qx9ZpL2vK4mN8rT"
BOARD_COMPANY = "<script>alert('board')</script> Labs"


def load_corpus() -> list[dict[str, Any]]:
    return json.loads(CORPUS_FILE.read_text(encoding="utf-8"))


def generated_cases() -> list[dict[str, Any]]:
    """Cases too big to commit, built the same way every time."""
    filler = "We train models. <b>Bold</b> &amp; more. " * (TEN_MB // 40 + 1)
    huge_post = {
        "author": "verbose",
        "created_utc": 1_791_400_000.0,
        "id": "r0099",
        "title": "A very long post about the ML job market",
        "selftext": "hiring freeze " + filler[:TEN_MB],
        "subreddit": "hostile",
    }
    return [
        {
            "case": "hn_10mb_comment",
            "category": "huge_body",
            "source": "hn_whoishiring",
            "key": 90000201,
            "payload": {
                "by": "verbose",
                "id": 90000201,
                "parent": THREAD_ID,
                "time": 1_791_500_000,
                "type": "comment",
                "text": "Huge Co | ML Engineer | Remote<p>" + filler[:TEN_MB],
            },
            "expect": "published",
            "field": None,
            "checks": {"company": "Huge Co"},
        },
        {
            "case": "hn_deeply_nested_body",
            "category": "deep_nesting",
            "source": "hn_whoishiring",
            "key": 90000202,
            "raw": (
                '{"id": 90000202, "time": 1791500000, "text": "Deep Co | x", "kids": '
                + "[" * 100_000
                + "]" * 100_000
                + "}"
            ).encode(),
            "expect": "quarantined",
            "field": "<response>",
            "checks": {},
        },
        {
            "case": "hn_invalid_utf8_bytes",
            "category": "invalid_utf8",
            "source": "hn_whoishiring",
            "key": 90000203,
            "raw": b'{"id": 90000203, "time": 1791500000, "text": "Bad \xff\xfe bytes | x"}',
            "expect": "quarantined",
            "field": "<response>",
            "checks": {},
        },
        {
            "case": "gh_10mb_content",
            "category": "huge_body",
            "source": "greenhouse",
            "key": 7000099,
            "payload": {
                "id": 7000099,
                "title": "Long Description Engineer",
                "content": filler[:TEN_MB],
                "first_published": "2026-10-01T09:00:00-04:00",
                "location": {"name": "Remote"},
            },
            "expect": "published",
            "field": None,
            "checks": {},
        },
        {
            "case": "reddit_10mb_selftext",
            "category": "huge_body",
            "source": "reddit",
            "key": "r0099",
            "payload": huge_post,
            "expect": "staged",
            "field": None,
            "checks": {},
        },
    ]


def all_cases() -> list[dict[str, Any]]:
    return load_corpus() + generated_cases()


class HostileServer(ReplayServer):
    """The replay server, plus raw byte bodies that JSON text cannot carry."""

    def __init__(self, replay_dir: Path) -> None:
        super().__init__(replay_dir)
        self.raw_bodies: dict[str, bytes] = {}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        base = super()._handler()
        raw_bodies = self.raw_bodies

        class Handler(base):  # type: ignore[misc, valid-type]
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                if path in raw_bodies:
                    self._send(200, raw_bodies[path], {})
                    return
                super().do_GET()

        return Handler


def _line(path: str, params: dict[str, Any], body: Any) -> str:
    record = {"path": path, "query": canonical_query(params), "status": 200, "body": body}
    return json.dumps(record)


def write_world(root: Path, cases: list[dict[str, Any]]) -> dict[str, bytes]:
    """Replay files and board and social config for ``cases``.

    Returns the raw bodies (path -> bytes) the server must send as they are.
    """
    root.mkdir(parents=True, exist_ok=True)
    by_source: dict[str, list[dict[str, Any]]] = {}
    for case in cases:
        by_source.setdefault(case["source"], []).append(case)
    lines: list[str] = []
    raw: dict[str, bytes] = {}
    # The real listing's parameters; page 1 is the empty page that ends it. The thread
    # has no Algolia tree (404), so the daily run reads it item by item from Firebase.
    discovery = {**DISCOVERY_PARAMS, "page": 0}
    thread = {
        "author": "whoishiring",
        "objectID": str(THREAD_ID),
        "title": "Ask HN: Who is hiring? (October 2026)",
        "created_at_i": 1_791_000_000,
    }
    lines.append(_line("/api/v1/search_by_date", discovery, {"hits": [thread], "nbPages": 1}))
    end = {**discovery, "page": 1}
    lines.append(_line("/api/v1/search_by_date", end, {"hits": [], "nbPages": 1, "page": 1}))
    kids = []
    for case in by_source["hn_whoishiring"]:
        path = f"/v0/item/{case['key']}.json"
        kids.append(case["key"])
        if "raw" in case:
            raw[path] = case["raw"]
        else:
            lines.append(_line(path, {}, case["payload"]))
    story = {
        "by": "whoishiring",
        "descendants": len(kids),
        "id": THREAD_ID,
        "kids": sorted(kids),
        "time": thread["created_at_i"],
        "title": thread["title"],
        "type": "story",
    }
    lines.append(_line(f"/v0/item/{THREAD_ID}.json", {}, story))
    jobs = {s: [c["payload"] for c in by_source[s]] for s in ("greenhouse", "lever", "ashby")}
    lines.append(
        _line("/v1/boards/hostile/jobs", {"content": "true"}, {"jobs": jobs["greenhouse"]})
    )
    lever_page = {"limit": 100, "mode": "json", "skip": 0}
    lines.append(_line("/v0/postings/hostile", lever_page, jobs["lever"]))
    ashby_params = {"includeCompensation": "true"}
    lines.append(
        _line(
            "/posting-api/job-board/hostile",
            ashby_params,
            {"apiVersion": "1", "jobs": jobs["ashby"]},
        )
    )
    posts = [c["payload"] for c in by_source["reddit"]]
    search = {"q": "ml jobs", "restrict_sr": "on", "sort": "new", "limit": 100, "t": "all"}
    listing = {"kind": "Listing", "data": {"after": None, "children": []}}
    children = [{"kind": "t3", "data": p} for p in posts]
    lines.append(
        _line("/r/hostile/search.json", search, {"data": {"after": None, "children": children}})
    )
    for post in posts:
        if isinstance(post.get("id"), str):
            thread_body = [{"data": {"children": [{"kind": "t3", "data": post}]}}, listing]
            comments = {"sort": "top", "limit": 5, "depth": 1}
            lines.append(_line(f"/r/hostile/comments/{post['id']}.json", comments, thread_body))
    (root / "responses.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    company = json.dumps(BOARD_COMPANY)
    boards = [
        f"  - {{company: {company}, ats: {ats}, token: hostile, segment: tech}}\n"
        for ats in ("greenhouse", "lever", "ashby")
    ]
    (root / "boards.yaml").write_text("boards:\n" + "".join(boards), encoding="utf-8")
    (root / "social.yaml").write_text(
        "hn_queries: []\nreddit:\n  - {subreddit: hostile, query: ml jobs, topic: ml_jobs}\n",
        encoding="utf-8",
    )
    return raw


def pipeline_env(server: HostileServer, root: Path, data_dir: Path) -> dict[str, str]:
    return (
        dict(os.environ)
        | live_mode_env(server.base_url, root)
        | {
            "HS_DATA_DIR": str(data_dir),
            "HS_REDDIT_TOKEN": FAKE_REDDIT_TOKEN,
            "HS_HTTP_MAX_ATTEMPTS": "2",
            "HS_HTTP_BACKOFF_INITIAL_S": "0.01",
            "HS_HTTP_TIMEOUT_S": "60",
            "DO_NOT_TRACK": "1",
        }
    )


@dataclass
class HostileRun:
    root: Path
    data_dir: Path
    result: subprocess.CompletedProcess[str]
    elapsed_s: float
    requests: list[str]  # path and query of each request the server answered
    request_headers: list[dict[str, str]]
    cases: list[dict[str, Any]]


@contextmanager
def hostile_world(root: Path, extra: list[dict[str, Any]] | None = None) -> Iterator[HostileServer]:
    """The loopback API serving the corpus (plus ``extra`` cases), files under ``root``."""
    cases = all_cases() + (extra or [])
    raw = write_world(root / "world", cases)
    server = HostileServer(root / "world")
    server.raw_bodies.update(raw)
    with server.running():
        yield server


_RUNS: dict[Path, HostileRun] = {}


def hostile_run(root: Path) -> HostileRun:
    """``hiring-signals run`` over the hostile world, once per ``root`` and process."""
    if root in _RUNS:
        return _RUNS[root]
    data_dir = root / "data"
    with hostile_world(root) as server:
        env = pipeline_env(server, root / "world", data_dir)
        started = time.monotonic()
        result = subprocess.run(
            [str(CLI), "run"],
            capture_output=True,
            text=True,
            env=env,
            timeout=900,
            start_new_session=True,
        )
        elapsed = time.monotonic() - started
        run = HostileRun(
            root,
            data_dir,
            result,
            elapsed,
            list(server.requests),
            list(server.request_headers),
            all_cases(),
        )
    (root / "stdout.txt").write_text(result.stdout, encoding="utf-8")
    (root / "stderr.txt").write_text(result.stderr, encoding="utf-8")
    _RUNS[root] = run
    return run


def shared_hostile_run(factory: Any) -> HostileRun:
    """The one hostile run of this pytest session (``factory``: tmp_path_factory)."""
    return hostile_run(factory.getbasetemp() / "hostile")
