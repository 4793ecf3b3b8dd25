"""The checked-in lists of job boards and social queries, validated on load."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError


class Board(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    company: str = Field(min_length=1)
    ats: Literal["greenhouse", "lever", "ashby"]
    token: str = Field(pattern=r"^[A-Za-z0-9._-]+$")
    segment: Literal["ai_lab", "ml_infra", "tech", "control"]

    @property
    def key(self) -> str:
        return f"{self.ats}:{self.token}"


class HnQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    query: str = Field(min_length=1)
    topic: str = Field(pattern=r"^[a-z0-9_]+$")


class RedditQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    subreddit: str = Field(pattern=r"^[A-Za-z0-9_]+$")
    query: str = Field(min_length=1)
    topic: str = Field(pattern=r"^[a-z0-9_]+$")

    @property
    def key(self) -> str:
        return f"{self.subreddit}:{self.query}"


class BoardsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    boards: list[Board]


class SocialFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    hn_queries: list[HnQuery] = []
    reddit: list[RedditQuery] = []


ModelT = TypeVar("ModelT", bound=BaseModel)


class ConfigError(ValueError):
    """A config file is missing or invalid; the message names the file and the entry."""


def _load(path: Path, model: type[ModelT]) -> ModelT:
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    try:
        return model.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    except (yaml.YAMLError, ValidationError) as exc:
        raise ConfigError(f"{path}: {exc}") from None


def load_boards(path: Path) -> list[Board]:
    boards = _load(path, BoardsFile).boards
    keys = [b.key for b in boards]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise ConfigError(f"{path}: boards listed twice: {', '.join(duplicates)}")
    return boards


def load_social(path: Path) -> SocialFile:
    return _load(path, SocialFile)
