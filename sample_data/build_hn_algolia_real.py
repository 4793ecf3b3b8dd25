"""Convert the real recorded HN Algolia responses (VCR cassettes) into replay lines.

Input: ``../shared/data/hn_api_recordings/algolia_ryanwi/`` (ryanwi/hiringtrends @
b300bbc, MIT; recorded 2023-09-25 with VCR 6.2.0): the ``search_by_date`` pages 0-8 of
the whoishiring stories (20 hits a page, page 8 the real empty page) and
``items/2396027``, the whole April 2011 thread as one response.

Output: ``hn_algolia_2023/hn_algolia.jsonl.gz``, one line per recorded interaction in
the format ``hiring_signals.http.recorded_lines`` reads: ``path`` and ``query`` of the
recorded URI (the query in the client's canonical order), the recorded status, the
body (the recorded JSON string, decoded; no field changed), the recorded ``Date``
header, and ``provenance: "real (...)"`` naming the cassette.

Usage: python sample_data/build_hn_algolia_real.py [../shared/data]
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "include"))

from hiring_signals.http import canonical_query  # noqa: E402

RECORDINGS = "hn_api_recordings/algolia_ryanwi"
CASSETTES = (
    "spec/fixtures/vcr_cassettes/HiringTrends_ItemSearch/_execute/returns_the_correct_result.yml",
    "spec/fixtures/vcr_cassettes/HiringTrends_Item/_load/loads_the_items_from_the_API.yml",
)
OUT = REPO / "sample_data" / "hn_algolia_2023" / "hn_algolia.jsonl.gz"


def replay_lines(cassette: Path, name: str) -> list[dict]:
    """The replay lines of one VCR cassette, one per recorded interaction."""
    recorded = yaml.safe_load(cassette.read_text(encoding="utf-8"))
    lines = []
    for interaction in recorded["http_interactions"]:
        request, response = interaction["request"], interaction["response"]
        uri = urlsplit(request["uri"])
        headers = {k.lower(): v for k, v in response["headers"].items()}
        lines.append(
            {
                "path": uri.path,
                "query": canonical_query(dict(parse_qsl(uri.query))),
                "status": response["status"]["code"],
                "headers": {"Date": headers["date"][0]},
                "provenance": (
                    f"real (ryanwi/hiringtrends @ b300bbc, {name}, "
                    f"recorded {interaction['recorded_at']})"
                ),
                "body": json.loads(response["body"]["string"]),
            }
        )
    return lines


def main(shared_data: Path) -> None:
    lines = []
    for cassette in CASSETTES:
        lines += replay_lines(shared_data / RECORDINGS / cassette, cassette.split("/")[-3])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(OUT, "wb", compresslevel=9, mtime=0) as raw:
        for line in lines:
            raw.write((json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n").encode())
    print(f"wrote {len(lines)} real responses to {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data")
