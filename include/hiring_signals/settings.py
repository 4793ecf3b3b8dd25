"""Typed settings, read once from the environment.

Every path defaults to a location inside the repository so that a fresh clone runs
with no configuration; each can be moved with an ``HS_*`` environment variable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

REPO_ROOT = Path(__file__).resolve().parents[2]

Mode = Literal["replay", "live"]


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    mode: Mode
    replay_dir: Path
    hn_api_base: str
    algolia_api_base: str
    max_threads: int
    requests_per_second: float
    freshness_max_age_days: float
    dbt_project_dir: Path
    greenhouse_api_base: str
    lever_api_base: str
    ashby_api_base: str
    reddit_api_base: str
    boards_file: Path
    social_file: Path
    http_max_attempts: int
    http_backoff_initial_s: float
    http_timeout_s: float
    http_deadline_s: float = 120.0
    http_max_bytes: int = 64 * 1024 * 1024
    # An HN thread at most this many days old is re-read whole: edits and removals land.
    hn_recheck_days: float = 31.0

    @property
    def landing_dir(self) -> Path:
        return self.data_dir / "landing"

    @property
    def quarantine_dir(self) -> Path:
        return self.data_dir / "quarantine"

    @property
    def quality_dir(self) -> Path:
        return self.data_dir / "quality"

    @property
    def build_db(self) -> Path:
        return self.data_dir / "build.duckdb"

    @property
    def analytics_db(self) -> Path:
        return self.data_dir / "analytics.duckdb"


def _path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).resolve() if value else default


def load_settings() -> Settings:
    """Build settings from ``HS_*`` environment variables (see README, "Configuration")."""
    mode = os.environ.get("HS_MODE", "replay")
    if mode not in ("replay", "live"):
        raise ValueError(f"HS_MODE must be 'replay' or 'live', got {mode!r}")
    replay_dir = _path("HS_REPLAY_DIR", REPO_ROOT / "sample_data" / "replay")
    config_dir = replay_dir if mode == "replay" else REPO_ROOT / "config"
    return Settings(
        data_dir=_path("HS_DATA_DIR", REPO_ROOT / "data"),
        mode=mode,  # type: ignore[arg-type]
        replay_dir=replay_dir,
        hn_api_base=os.environ.get("HS_HN_API_BASE", "https://hacker-news.firebaseio.com/v0"),
        algolia_api_base=os.environ.get("HS_ALGOLIA_API_BASE", "https://hn.algolia.com/api/v1"),
        # Live runs follow the newest threads; the bundled replay is the whole history.
        max_threads=int(os.environ.get("HS_HN_MAX_THREADS", "0" if mode == "replay" else "3")),
        requests_per_second=float(os.environ.get("HS_REQUESTS_PER_SECOND", "10")),
        freshness_max_age_days=float(os.environ.get("HS_FRESHNESS_MAX_AGE_DAYS", "30")),
        dbt_project_dir=REPO_ROOT / "dbt_project",
        greenhouse_api_base=os.environ.get(
            "HS_GREENHOUSE_API_BASE", "https://boards-api.greenhouse.io"
        ),
        lever_api_base=os.environ.get("HS_LEVER_API_BASE", "https://api.lever.co"),
        ashby_api_base=os.environ.get("HS_ASHBY_API_BASE", "https://api.ashbyhq.com"),
        reddit_api_base=os.environ.get("HS_REDDIT_API_BASE", "https://www.reddit.com"),
        # Replay mode reads the boards and queries that have recorded responses.
        boards_file=_path("HS_BOARDS_FILE", config_dir / "boards.yaml"),
        social_file=_path("HS_SOCIAL_FILE", config_dir / "social.yaml"),
        http_max_attempts=int(os.environ.get("HS_HTTP_MAX_ATTEMPTS", "5")),
        http_backoff_initial_s=float(os.environ.get("HS_HTTP_BACKOFF_INITIAL_S", "0.5")),
        http_timeout_s=float(os.environ.get("HS_HTTP_TIMEOUT_S", "20")),
        # Bounds on one request, all attempts and waits included, and on one body.
        http_deadline_s=float(os.environ.get("HS_HTTP_DEADLINE_S", "120")),
        http_max_bytes=int(os.environ.get("HS_HTTP_MAX_BYTES", str(64 * 1024 * 1024))),
        hn_recheck_days=float(os.environ.get("HS_HN_RECHECK_DAYS", "31")),
    )
