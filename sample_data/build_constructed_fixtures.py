"""Write the constructed replay responses for job boards and social threads.

No recorded real responses of the Greenhouse, Lever and Ashby job-board APIs, HN Algolia
search or Reddit listings could be obtained here, so these responses were constructed
from each API's public documentation: real field names and shapes, invented postings
and posts. Every line says so in ``provenance``. Company names are the boards'
owners; the jobs and texts are made up and must not be read as those companies' data.

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


def greenhouse(token: str, company: str, jobs: list[tuple]) -> dict:
    out = []
    for n, (title, location, dept, published, content) in enumerate(jobs, start=1):
        job_id = 4_100_000 + zlib.crc32(token.encode()) % 1000 * 100 + n
        out.append(
            {
                "id": job_id,
                "internal_job_id": job_id - 4_000_000,
                "title": title,
                "updated_at": f"{published}T10:00:00-04:00",
                "first_published": f"{published}T09:00:00-04:00",
                "requisition_id": f"R-{n:04d}",
                "location": {"name": location},
                "absolute_url": f"https://job-boards.greenhouse.io/{token}/jobs/{job_id}",
                "company_name": company,
                "metadata": None,
                "content": content.replace("<", "&lt;").replace(">", "&gt;"),
                "departments": [{"id": 100 + n, "name": dept, "child_ids": [], "parent_id": None}],
                "offices": [
                    {
                        "id": 200 + n,
                        "name": location,
                        "location": location,
                        "child_ids": [],
                        "parent_id": None,
                    }
                ],
            }
        )
    return line(
        f"/v1/boards/{token}/jobs", {"content": "true"}, {"jobs": out, "meta": {"total": len(out)}}
    )


def lever(token: str, jobs: list[tuple]) -> dict:
    out = []
    for n, (title, location, team, created, workplace, salary) in enumerate(jobs, start=1):
        posting_id = f"{token[:4]}{n:04d}-0000-4000-8000-00000000{n:04d}"
        item = {
            "id": posting_id,
            "text": title,
            "categories": {
                "location": location,
                "team": team,
                "department": team,
                "commitment": "Full-time",
                "allLocations": [location],
            },
            "country": "US" if "CA" in location or "NY" in location else "FR",
            "createdAt": int(ts(created).timestamp() * 1000),
            "workplaceType": workplace,
            "description": f"<div>{title} in our {team} team.</div>",
            "descriptionPlain": f"{title} in our {team} team.",
            "lists": [{"text": "What you will do", "content": "<li>Ship things</li>"}],
            "additional": "",
            "additionalPlain": "",
            "hostedUrl": f"https://jobs.lever.co/{token}/{posting_id}",
            "applyUrl": f"https://jobs.lever.co/{token}/{posting_id}/apply",
        }
        if salary:
            item["salaryRange"] = {
                "currency": salary[0],
                "interval": "per-year-salary",
                "min": salary[1],
                "max": salary[2],
            }
        out.append(item)
    return line(f"/v0/postings/{token}", {"mode": "json", "limit": 100, "skip": 0}, out)


def ashby(token: str, jobs: list[tuple]) -> dict:
    out = []
    for n, (title, location, dept, published, remote, comp) in enumerate(jobs, start=1):
        job_id = f"{token[:4]}-{n:04d}-aaaa-bbbb-cccc{n:08d}"
        item = {
            "id": job_id,
            "title": title,
            "department": dept,
            "team": dept,
            "employmentType": "FullTime",
            "location": location,
            "secondaryLocations": [],
            "publishedAt": f"{published}T16:00:00.000+00:00",
            "isListed": True,
            "isRemote": remote,
            "address": {
                "postalAddress": {
                    "addressLocality": location.split(",")[0],
                    "addressCountry": "United States",
                }
            },
            "jobUrl": f"https://jobs.ashbyhq.com/{token}/{job_id}",
            "applyUrl": f"https://jobs.ashbyhq.com/{token}/{job_id}/application",
            "descriptionHtml": f"<p>{title}: join the {dept} team.</p>",
            "descriptionPlain": f"{title}: join the {dept} team.",
        }
        if comp:
            item["compensation"] = {
                "compensationTierSummary": f"${comp[0] // 1000}K – ${comp[1] // 1000}K",  # noqa: RUF001
                "scrapeableCompensationSalarySummary": f"${comp[0] // 1000}K - ${comp[1] // 1000}K",
                "summaryComponents": [
                    {
                        "compensationType": "Salary",
                        "interval": "1 YEAR",
                        "currencyCode": "USD",
                        "minValue": comp[0],
                        "maxValue": comp[1],
                    }
                ],
            }
        out.append(item)
    return line(
        f"/posting-api/job-board/{token}",
        {"includeCompensation": "true"},
        {"apiVersion": "1", "jobs": out},
    )


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
    ats = [
        greenhouse(
            "anthropic",
            "Anthropic",
            [
                (
                    "Research Engineer, Pretraining",
                    "San Francisco, CA",
                    "Research",
                    "2026-01-12",
                    "<p>Train large language models on our compute clusters "
                    "with PyTorch and JAX.</p>",
                ),
                (
                    "Software Engineer, Inference",
                    "Seattle, WA",
                    "Engineering",
                    "2026-02-03",
                    "<p>Make LLM inference fast: CUDA kernels, batching, caching.</p>",
                ),
                (
                    "Recruiting Coordinator",
                    "San Francisco, CA",
                    "People",
                    "2026-02-20",
                    "<p>Coordinate interviews across teams.</p>",
                ),
                (
                    "Machine Learning Engineer, Safeguards",
                    "London, UK",
                    "Research",
                    "2026-03-04",
                    "<p>Build classifiers that detect misuse of our models.</p>",
                ),
            ],
        ),
        greenhouse(
            "stripe",
            "Stripe",
            [
                (
                    "Backend Engineer, Payments",
                    "Dublin, Ireland",
                    "Engineering",
                    "2026-01-20",
                    "<p>Build payment APIs in Ruby and Java.</p>",
                ),
                (
                    "Machine Learning Engineer, Fraud",
                    "Seattle, WA",
                    "Engineering",
                    "2026-02-11",
                    "<p>Train gradient-boosted and deep models that stop fraud.</p>",
                ),
                (
                    "Account Executive",
                    "New York, NY",
                    "Sales",
                    "2026-03-09",
                    "<p>Grow relationships with enterprise users.</p>",
                ),
            ],
        ),
    ]
    ats += [
        lever(
            "mistral",
            [
                (
                    "Research Scientist, LLM post-training",
                    "Paris, France",
                    "Science",
                    "2026-01-08",
                    "on-site",
                    ("EUR", 90000, 160000),
                ),
                (
                    "Solutions Engineer",
                    "Paris, France",
                    "Go-to-market",
                    "2026-02-16",
                    "hybrid",
                    None,
                ),
                (
                    "ML Infrastructure Engineer",
                    "London, UK",
                    "Engineering",
                    "2026-03-02",
                    "hybrid",
                    ("GBP", 85000, 140000),
                ),
            ],
        ),
        lever(
            "plaid",
            [
                (
                    "Senior Software Engineer, Data Platform",
                    "San Francisco, CA",
                    "Engineering",
                    "2026-01-15",
                    "hybrid",
                    ("USD", 180000, 250000),
                ),
                (
                    "Data Scientist, Risk",
                    "New York, NY",
                    "Data",
                    "2026-02-24",
                    "remote",
                    ("USD", 160000, 210000),
                ),
            ],
        ),
        ashby(
            "openai",
            [
                (
                    "Research Engineer, Multimodal",
                    "San Francisco, CA",
                    "Research",
                    "2026-01-22",
                    False,
                    (310000, 460000),
                ),
                (
                    "Software Engineer, ChatGPT Growth",
                    "San Francisco, CA",
                    "Applied AI",
                    "2026-02-05",
                    False,
                    (245000, 385000),
                ),
                (
                    "Technical Program Manager, Compute",
                    "Remote, US",
                    "Compute",
                    "2026-03-12",
                    True,
                    None,
                ),
            ],
        ),
        ashby(
            "notion",
            [
                (
                    "Software Engineer, Mobile",
                    "New York, NY",
                    "Engineering",
                    "2026-02-02",
                    False,
                    (160000, 240000),
                ),
                (
                    "AI Engineer, Notion AI",
                    "San Francisco, CA",
                    "Engineering",
                    "2026-03-10",
                    False,
                    (200000, 290000),
                ),
            ],
        ),
    ]
    (OUT / "ats_boards.jsonl").write_text(
        "".join(json.dumps(x, ensure_ascii=False, sort_keys=True) + "\n" for x in ats)
    )

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
