"""HN comment HTML decodes to readable text; the raw HTML is kept beside it."""

import pytest

from hiring_signals.sources.html_text import html_to_text
from tests.conftest import recorded_responses


def recorded_comment(comment_id: int) -> str:
    path = f"/v0/item/{comment_id}.json"
    for record in recorded_responses():
        if record["path"] == path:
            return record["body"]["text"]
    raise LookupError(comment_id)


def test_entities_decode_and_paragraphs_become_lines():
    text = html_to_text(recorded_comment(46467610))
    lines = text.split("\n")
    assert lines[0] == (
        "MiLaboratories | Bilbao, Spain | ONSITE | VISA SPONSORSHIP | RELOCATION SUPPORT"
    )
    assert 'Platforma.bio & MiXCR. We are building the "OS for Biology"' in lines[1]
    assert "&amp;" not in text and "&quot;" not in text and "<p>" not in text


def test_shortened_link_text_is_replaced_by_the_full_href():
    text = html_to_text(recorded_comment(46466769))
    assert "https://job-boards.greenhouse.io/koboldmetals/jobs/4002126005" in text
    assert "400212600..." not in text


def test_italic_company_name_keeps_its_words_in_the_header():
    header = html_to_text(recorded_comment(46466389)).split("\n")[0]
    assert header.startswith("Stellar Science | Hybrid (USA) Albuquerque NM")
    assert header.endswith("| https://www.stellarscience.com")


@pytest.mark.parametrize("empty", [None, ""])
def test_missing_text_decodes_to_empty_string(empty):
    assert html_to_text(empty) == ""


def test_runs_of_spaces_and_tabs_collapse_and_blank_paragraphs_vanish():
    html = "Acme  |\tRemote <p><p>  We&#x27;re   hiring <i>now</i>  <p> "
    assert html_to_text(html) == "Acme | Remote\nWe're hiring now"


def test_link_without_href_keeps_its_text():
    assert html_to_text('see <a name="x">the board</a> today') == "see the board today"
