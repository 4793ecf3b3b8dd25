"""The board and query lists: the shipped ones are valid, broken ones fail clearly."""

from collections import Counter

import pytest

from hiring_signals.settings import REPO_ROOT
from hiring_signals.sources.config import ConfigError, load_boards, load_social


def test_shipped_board_list_covers_three_ats_and_every_segment():
    boards = load_boards(REPO_ROOT / "config" / "boards.yaml")
    assert len(boards) >= 40
    assert set(Counter(b.ats for b in boards)) == {"greenhouse", "lever", "ashby"}
    assert {b.segment for b in boards} == {"ai_lab", "ml_infra", "tech", "control"}


def test_replay_lists_name_only_boards_and_queries_with_recorded_responses():
    shipped = {b.key for b in load_boards(REPO_ROOT / "config" / "boards.yaml")}
    replay = {b.key for b in load_boards(REPO_ROOT / "sample_data" / "replay" / "boards.yaml")}
    assert replay <= shipped and len(replay) == 7
    social = load_social(REPO_ROOT / "sample_data" / "replay" / "social.yaml")
    assert social.hn_queries and social.reddit


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("boards:\n  - {company: X, ats: workday, token: x, segment: control}\n", "ats"),
        ("boards:\n  - {company: X, ats: lever, token: 'a b', segment: control}\n", "token"),
        ("boards:\n  - {company: X, ats: lever, token: x}\n", "segment"),
        ("boards: [\n", "while parsing"),
        (
            "boards:\n  - {company: X, ats: lever, token: x, segment: control}\n"
            "  - {company: Y, ats: lever, token: x, segment: control}\n",
            "listed twice: lever:x",
        ),
    ],
)
def test_invalid_board_file_names_the_file_and_the_problem(tmp_path, text, message):
    path = tmp_path / "boards.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as error:
        load_boards(path)
    assert str(path) in str(error.value) and message in str(error.value)


def test_missing_config_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_social(tmp_path / "nope.yaml")
