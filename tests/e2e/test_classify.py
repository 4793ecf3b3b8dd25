"""`hiring-signals classify` gives the warehouse's own answers for the same postings."""

import json

import pytest

from hiring_signals.warehouse import connect_read_only
from tests.conftest import run_cli

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("with_title", [True, False], ids=["title_and_text", "text_alone"])
def test_classify_agrees_with_the_warehouse_on_every_thread_posting(
    published, tmp_path, with_title
):
    """Given the title or only the comment (whose title the header parser finds), every
    thread comment gets the warehouse's flags, role family and role counts."""
    fields = ("is_ml", "is_deep_learning", "is_llm", "role_family", "n_roles", "n_ml_roles")
    with connect_read_only(published.analytics_db) as con:
        rows = con.execute(
            f"select posting_id, title_text, full_text, {', '.join(fields)} "
            "from marts.fct_job_postings where ingest_method = 'thread_comments' "
            "order by posting_id"
        ).fetchall()
    source = tmp_path / "postings.jsonl"
    source.write_text(
        "".join(
            json.dumps({"id": r[0], "text": r[2]} | ({"title": r[1]} if with_title else {})) + "\n"
            for r in rows
        )
    )
    target = tmp_path / "out" / "classified.jsonl"

    run_cli("classify", str(source), "-o", str(target), check=True)

    classified = [json.loads(line) for line in target.read_text().splitlines()]
    expected = [{"id": r[0], **dict(zip(fields, r[3:], strict=True))} for r in rows]
    assert len(classified) == 4523
    assert classified == expected


def test_classify_names_the_bad_line_and_field(data_dir, tmp_path):
    source = tmp_path / "bad.jsonl"
    source.write_text('{"id": 1, "title": "ML Engineer"}\n{"title": "no id"}\n')
    result = run_cli("classify", str(source), "-o", str(tmp_path / "out.jsonl"))
    assert result.returncode == 1
    assert f"{source}:2: field 'id' is missing" in " ".join(result.stderr.split())
    assert not (tmp_path / "out.jsonl").exists()
