"""Convert the real HN "Who is hiring?" snapshots into replayable API responses.

Input: ``shared/data/hn_whoishiring_2026_raw/<run date>/raw.json`` (fields of the HN
Firebase item API: id, by, time, text). Output: ``replay/hn_whoishiring.jsonl``, one
recorded response per line, keyed by URL path and query, which the replay transport
(and the test replay server) serve back to the unchanged HTTP client.

Comment bodies are copied byte for byte. What the snapshots do not carry is
constructed and flagged ``"provenance": "constructed"`` on its line: the thread items
(id and title are real; ``kids`` is the list of the snapshot's comment ids, ``time`` is
the earliest comment's time) and the Algolia thread-discovery response. HN job stories
(``source == "direct"``) are not thread comments and are left out.

Usage: python sample_data/build_hn_replay.py ../shared/data/hn_whoishiring_2026_raw
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

OUT = Path(__file__).parent / "replay" / "hn_whoishiring.jsonl"
DISCOVERY_QUERY = "hitsPerPage=100&page=0&tags=story%2Cauthor_whoishiring"


def main(raw_root: Path) -> None:
    lines: list[dict] = []
    hits: list[dict] = []
    for snapshot in sorted(raw_root.glob("*/raw.json")):
        raw = json.loads(snapshot.read_text())
        thread_id = raw["sources"]["who_is_hiring_thread_id"]
        title = raw["sources"]["who_is_hiring_thread_title"]
        comments = [job for job in raw["jobs"] if job["source"] == "who_is_hiring"]
        first_time = min(job["time"] for job in comments)
        for job in comments:
            body = {k: job[k] for k in ("by", "id", "text", "time")}
            body |= {"parent": thread_id, "type": "comment"}
            lines.append(
                {
                    "path": f"/v0/item/{job['id']}.json",
                    "query": "",
                    "status": 200,
                    "provenance": f"real ({snapshot.parent.name} snapshot)",
                    "body": body,
                }
            )
        thread = {
            "by": "whoishiring",
            "id": thread_id,
            "kids": sorted((job["id"] for job in comments), reverse=True),
            "time": first_time,
            "title": title,
            "type": "story",
        }
        lines.append(
            {
                "path": f"/v0/item/{thread_id}.json",
                "query": "",
                "status": 200,
                "provenance": "constructed (real id, title and comment ids)",
                "body": thread,
            }
        )
        created = datetime.fromtimestamp(first_time, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        hits.append(
            {
                "objectID": str(thread_id),
                "title": title,
                "author": "whoishiring",
                "created_at": created,
                "created_at_i": first_time,
                "num_comments": len(comments),
                "_tags": ["story", "author_whoishiring", f"story_{thread_id}", "ask_hn"],
            }
        )
    hits.sort(key=lambda hit: hit["created_at_i"], reverse=True)
    lines.append(
        {
            "path": "/api/v1/search_by_date",
            "query": DISCOVERY_QUERY,
            "status": 200,
            "provenance": "constructed (Algolia response shape, real thread ids and titles)",
            "body": {
                "hits": hits,
                "nbHits": len(hits),
                "page": 0,
                "nbPages": 1,
                "hitsPerPage": 100,
            },
        }
    )
    lines.sort(key=lambda line: (line["path"], line["query"]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as out:
        for line in lines:
            out.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"wrote {len(lines)} responses to {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
