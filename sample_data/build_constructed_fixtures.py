"""Write the constructed replay responses for social threads (HN search, Reddit).

No recorded real responses of HN Algolia search or Reddit listings could be obtained
here, so these responses were constructed from each API's public documentation: real
field names and shapes, invented posts. Every line says so in ``provenance``; the texts
are made up. The job boards are real days now (``build_ats_replay.py``).

Usage: python sample_data/build_constructed_fixtures.py
"""

from __future__ import annotations

import json
import zlib
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

OUT = Path(__file__).parent / "replay"
PROVENANCE = "constructed from the public API documentation (invented content)"


def line(path: str, params: dict, body: object) -> dict:
    query = urlencode(sorted(params.items()))
    return {"path": path, "query": query, "status": 200, "provenance": PROVENANCE, "body": body}


def ts(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def hn_search(query: str, hits: list[tuple]) -> dict:
    out = []
    for n, (kind, day, author, title, text, points, comments) in enumerate(hits, start=1):
        created = ts(day)
        object_id = str(46_000_000 + zlib.crc32(query.encode()) % 100_000 * 10 + n)
        hit = {
            "objectID": object_id,
            "author": author,
            "created_at_i": int(created.timestamp()),
            "created_at": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "_tags": [kind, f"author_{author}", f"story_{object_id}"],
        }
        if kind == "story":
            hit |= {
                "title": title,
                "url": None,
                "story_text": text,
                "points": points,
                "num_comments": comments,
            }
        else:
            hit |= {
                "comment_text": text,
                "story_title": title,
                "points": None,
                "story_id": 45_000_000 + n,
                "parent_id": 45_000_000 + n,
            }
        out.append(hit)
    params = {"query": query, "tags": "(story,comment)", "hitsPerPage": 100, "page": 0}
    return line(
        "/api/v1/search_by_date",
        params,
        {
            "hits": out,
            "nbHits": len(out),
            "page": 0,
            "nbPages": 1,
            "hitsPerPage": 100,
            "query": query,
        },
    )


def reddit(subreddit: str, query: str, posts: list[tuple]) -> list[dict]:
    children, lines = [], []
    for n, (day, author, title, body, score, comments, top) in enumerate(posts, start=1):
        post_id = f"1{subreddit[:3].lower()}{n:03d}"
        created = int(ts(day).timestamp())
        children.append(
            {
                "kind": "t3",
                "data": {
                    "id": post_id,
                    "name": f"t3_{post_id}",
                    "subreddit": subreddit,
                    "title": title,
                    "selftext": body,
                    "author": author,
                    "score": score,
                    "num_comments": comments,
                    "created_utc": float(created),
                    "permalink": f"/r/{subreddit}/comments/{post_id}/",
                    "url": f"https://www.reddit.com/r/{subreddit}/comments/{post_id}/",
                    "over_18": False,
                },
            }
        )
        comment_children = [
            {
                "kind": "t1",
                "data": {
                    "id": f"c{post_id}{k}",
                    "name": f"t1_c{post_id}{k}",
                    "author": c_author,
                    "body": c_body,
                    "score": c_score,
                    "created_utc": float(created + 3600 * k),
                    "link_id": f"t3_{post_id}",
                    "parent_id": f"t3_{post_id}",
                    "subreddit": subreddit,
                    "permalink": f"/r/{subreddit}/comments/{post_id}/c{post_id}{k}/",
                },
            }
            for k, (c_author, c_body, c_score) in enumerate(top, start=1)
        ]
        lines.append(
            line(
                f"/r/{subreddit}/comments/{post_id}.json",
                {"sort": "top", "limit": 5, "depth": 1},
                [
                    {"kind": "Listing", "data": {"children": [children[-1]]}},
                    {"kind": "Listing", "data": {"children": comment_children, "after": None}},
                ],
            )
        )
    params = {"q": query, "restrict_sr": "on", "sort": "new", "limit": 100, "t": "all"}
    lines.append(
        line(
            f"/r/{subreddit}/search.json",
            params,
            {"kind": "Listing", "data": {"children": children, "after": None}},
        )
    )
    return lines


def main() -> None:
    social = [
        hn_search(
            "machine learning jobs",
            [
                (
                    "story",
                    "2026-01-14",
                    "mlhopeful",
                    "Ask HN: Is the ML job market recovering?",
                    "Applied to 80 ML engineer roles since the layoffs; two interviews. "
                    "Hiring freeze?",
                    212,
                    3,
                ),
                (
                    "comment",
                    "2026-01-15",
                    "recruiterjane",
                    "Ask HN: Is the ML job market recovering?",
                    "We are hiring ML engineers again, but only for LLM infrastructure work.",
                    None,
                    None,
                ),
                (
                    "comment",
                    "2026-02-02",
                    "oldtimer",
                    "Ask HN: Is the ML job market recovering?",
                    "Our org had a hiring freeze all of 2025; it lifted in January.",
                    None,
                    None,
                ),
            ],
        ),
        hn_search(
            "AI layoffs",
            [
                (
                    "story",
                    "2026-02-18",
                    "newsbot",
                    "Another round of AI startup layoffs",
                    None,
                    95,
                    2,
                ),
                (
                    "comment",
                    "2026-02-19",
                    "skeptic42",
                    "Another round of AI startup layoffs",
                    "Layoffs at wrapper startups, while labs keep hiring researchers.",
                    None,
                    None,
                ),
                (
                    "comment",
                    "2026-03-03",
                    "builder",
                    "Another round of AI startup layoffs",
                    "Nobody on my team was laid off; we are hiring two ML engineers.",
                    None,
                    None,
                ),
            ],
        ),
    ]
    social += reddit(
        "MachineLearning",
        "job market",
        [
            (
                "2026-01-10",
                "phd_student",
                "[D] How bad is the ML job market for new PhDs?",
                "Three offers fell through after a hiring freeze.",
                340,
                2,
                [
                    ("industry_ml", "Still hiring at our lab, but bars are higher.", 120),
                    ("anon_user", "Layoffs hit applied teams first.", 45),
                ],
            ),
            (
                "2026-02-21",
                "hiring_mgr",
                "[D] We're hiring: what happened to applicant quality?",
                "We opened two ML roles and got 900 applications.",
                88,
                1,
                [("curious", "Is that because of the layoffs?", 12)],
            ),
        ],
    )
    social += reddit(
        "cscareerquestions",
        "machine learning",
        [
            (
                "2026-03-05",
                "cs_grad",
                "Should I still specialise in machine learning?",
                "Everyone says the market for ML jobs collapsed. Is it true?",
                150,
                1,
                [("senior_swe", "Not collapsed; LLM roles are hiring, classic ML less so.", 60)],
            ),
        ],
    )
    (OUT / "social.jsonl").write_text(
        "".join(json.dumps(x, ensure_ascii=False, sort_keys=True) + "\n" for x in social)
    )


if __name__ == "__main__":
    main()
