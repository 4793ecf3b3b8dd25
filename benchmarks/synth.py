"""Seeded synthetic "Ask HN: Who is hiring?" threads, landed as real batches.

    python benchmarks/synth.py --postings 1000000 --data-dir /tmp/bench-1m [--seed 7]

For benchmarks only: tests never use it in place of the real sample. Each month's
thread becomes one landing batch written by the real path (``to_record``, which parses
the comment HTML, then ``write_batch``), so dbt reads exactly what a live run lands.

What makes it realistic enough to time: HN-shaped HTML comments (header line with
company | role | location | remote | salary, paragraphs, links, entities) whose length
is log-normal around the real median (~1,000 characters); a Zipf-like company mix;
monthly volume with the December and summer dips; an ML share drifting from about 6%
to 14% over the period, LLM roles appearing from 2023; and about 8% reposts of a
company's posting from the previous three months (identical or lightly edited).
"""

from __future__ import annotations

import argparse
import html
import itertools
import math
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hiring_signals.landing import write_batch
from hiring_signals.sources.hn_whoishiring import METHOD, SOURCE, Thread, to_record

FIRST_MONTH = (2016, 1)
LAST_MONTH = (2026, 10)
REPOST_RATE = 0.08
# Relative thread size by calendar month: HN threads shrink in December and summer.
SEASON = {1: 1.08, 2: 1.05, 3: 1.06, 4: 1.02, 5: 1.0, 6: 0.95, 7: 0.9, 8: 0.88, 9: 1.0}
SEASON |= {10: 1.04, 11: 0.98, 12: 0.8}

TITLES = {
    "llm": [
        "LLM Engineer",
        "AI Engineer (LLMs, agents)",
        "Applied Scientist, Generative AI",
        "Machine Learning Engineer, LLM Inference",
        "Research Engineer, Large Language Models",
    ],
    "dl": [
        "Deep Learning Engineer",
        "Computer Vision Engineer",
        "Research Scientist, Deep Learning",
        "Perception Engineer (neural networks)",
    ],
    "ml": [
        "Machine Learning Engineer",
        "Senior ML Engineer",
        "ML Platform Engineer",
        "Applied Scientist, Ranking",
    ],
    "data": ["Data Engineer", "Analytics Engineer", "Senior Data Analyst", "Data Platform Lead"],
    "other": [
        "Senior Backend Engineer",
        "Frontend Engineer",
        "Full Stack Engineer",
        "Site Reliability Engineer",
        "iOS Engineer",
        "Engineering Manager",
        "Product Designer",
        "Staff Software Engineer",
    ],
}
SKILLS = {
    "llm": ["LLMs", "RAG", "fine-tuning", "transformers", "LangChain", "vector databases"],
    "dl": ["PyTorch", "TensorFlow", "JAX", "CUDA", "computer vision", "deep learning"],
    "ml": ["scikit-learn", "XGBoost", "MLOps", "recommender systems", "feature stores"],
    "data": ["Spark", "Airflow", "dbt", "SQL", "Snowflake", "Kafka"],
    "other": ["Go", "Python", "TypeScript", "React", "Kubernetes", "Postgres", "Rust", "AWS"],
}
LOCATIONS = [
    "San Francisco, CA",
    "New York, NY",
    "Remote (US)",
    "London, UK",
    "Berlin, Germany",
    "Toronto, Canada",
    "Austin, TX",
    "Amsterdam",
    "Seattle, WA",
    "Remote (EU)",
]
REMOTE = ["REMOTE", "ONSITE", "Hybrid", "Remote OK", ""]
EMPLOYMENT = ["Full-time", "Full Time", "Contract", "Full-time, Part-time", ""]
BLURBS = [
    "We're a {size}-person team building {product} for {customer}.",
    "{company} helps {customer} ship {product} faster & cheaper.",
    "Founded in {year}, we are profitable and growing {growth}% a year.",
    "Our customers include some of the largest {customer} in the world.",
]
DUTIES = [
    "You will build and own {skill_a} systems end to end, working with {skill_b}.",
    "The role works on our {skill_a} stack; experience with {skill_b} is a plus.",
    "You'll design services in {skill_a} and {skill_b} that handle millions of requests.",
    "Day to day: shipping features, reviewing code, and improving our {skill_a} pipeline.",
]
FILLER = [
    "We value clear writing, small pull requests and kind code review.",
    "Benefits include health insurance, a learning budget and flexible hours.",
    "Interviews are a short call, a take-home of about two hours and a team chat.",
    "We work in small teams with a lot of ownership and very few meetings.",
    "Our stack is boring on purpose so we can spend our time on the product.",
    "Visa sponsorship is available for exceptional candidates.",
]
PRODUCTS = ["payments infrastructure", "developer tools", "a logistics platform", "EHR software"]
CUSTOMERS = ["hospitals", "retailers", "banks", "game studios", "manufacturers", "startups"]


@dataclass(frozen=True)
class Posting:
    company: str
    html: str


def month_range(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    months = []
    year, month = first
    while (year, month) <= last:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def monthly_volumes(total: int, months: list[tuple[int, int]]) -> list[int]:
    """Postings per month summing to ``total``: slow growth times the seasonal factor."""
    weights = [(1 + 0.4 * i / len(months)) * SEASON[m] for i, (_, m) in enumerate(months)]
    exact = [w * total / sum(weights) for w in weights]
    volumes = [int(x) for x in exact]
    # Largest remainders get the postings that rounding down left over.
    by_remainder = sorted(range(len(exact)), key=lambda i: volumes[i] - exact[i])
    for i in by_remainder[: total - sum(volumes)]:
        volumes[i] += 1
    return volumes


def role_mix(progress: float, year: int) -> dict[str, float]:
    """Share of each role kind at a point in the period (0 = first month, 1 = last)."""
    ml_total = 0.06 + 0.08 * progress
    llm = 0.0 if year < 2023 else ml_total * min(0.45, 0.15 * (year - 2022))
    dl = (ml_total - llm) * 0.3
    return {"llm": llm, "dl": dl, "ml": ml_total - llm - dl, "data": 0.08, "other": 0.0}


def companies(rng: random.Random, count: int) -> list[str]:
    stems = ["Acme", "Nimbus", "Quanta", "Helix", "Orbit", "Lumen", "Vector", "Cobalt", "Fjord"]
    suffixes = ["Labs", "AI", "Health", "Systems", "Robotics", "Pay", "Data", "Inc.", "& Co"]
    return [f"{rng.choice(stems)}{i} {rng.choice(suffixes)}" for i in range(count)]


def compose(rng: random.Random, company: str, kind: str, item_id: int) -> str:
    """One comment's HTML as HN serves it (escaped text, <p> paragraphs, links)."""
    title = rng.choice(TITLES[kind])
    low = rng.randrange(80, 220, 10)
    parts = [company, title, rng.choice(LOCATIONS), rng.choice(REMOTE), rng.choice(EMPLOYMENT)]
    if rng.random() < 0.4:
        parts.append(f"${low}k - ${low + rng.randrange(20, 80, 10)}k")
    header = " | ".join(p for p in parts if p)
    skills = rng.sample(SKILLS[kind], 2) + rng.sample(SKILLS["other"], 1)
    values = {
        "company": company,
        "size": rng.randrange(5, 400),
        "product": rng.choice(PRODUCTS),
        "customer": rng.choice(CUSTOMERS),
        "year": rng.randrange(2008, 2024),
        "growth": rng.randrange(20, 300),
        "skill_a": skills[0],
        "skill_b": skills[1],
    }
    paragraphs = [rng.choice(BLURBS).format(**values), rng.choice(DUTIES).format(**values)]
    target = int(rng.lognormvariate(math.log(950), 0.5))
    length = len(header) + sum(len(p) for p in paragraphs)
    while length < target:
        paragraphs.append(rng.choice(FILLER))
        length += len(paragraphs[-1])
    link = f"https://jobs.example.com/{company.split()[0].lower()}/{item_id}"
    body = "<p>".join(html.escape(p) for p in [header, *paragraphs])
    return f'{body}<p>Apply: <a href="{link}" rel="nofollow">{link}</a>'


def lightly_edited(rng: random.Random, text: str) -> str:
    """A repost: the same comment, sometimes with one sentence added."""
    return text if rng.random() < 0.5 else text + "<p>" + html.escape(rng.choice(FILLER))


def month_items(
    rng: random.Random,
    year: int,
    month: int,
    volume: int,
    mix: dict[str, float],
    names: list[str],
    company_weights: list[float],
    recent: list[Posting],
    first_id: int,
) -> Iterator[dict[str, Any]]:
    """The month's comments as HN API items (id, by, time, text, parent)."""
    kinds = list(mix)
    weights = [mix[k] for k in kinds]
    weights[kinds.index("other")] = 1 - sum(weights)
    start = datetime(year, month, 1, 15, tzinfo=UTC)
    for offset in range(volume):
        item_id = first_id + offset
        if recent and rng.random() < REPOST_RATE:
            previous = rng.choice(recent)
            company, text = previous.company, lightly_edited(rng, previous.html)
        else:
            company = rng.choices(names, cum_weights=company_weights)[0]
            text = compose(rng, company, rng.choices(kinds, weights)[0], item_id)
        yield {
            "id": item_id,
            "by": f"user{rng.randrange(1_000_000)}",
            "time": int((start + timedelta(minutes=offset % 40_000)).timestamp()),
            "text": text,
            "parent": first_id - 1,
            "company": company,
        }


def generate(data_dir: Path, postings: int, seed: int = 7, quiet: bool = False) -> dict:
    """Land ``postings`` synthetic comments under ``data_dir/landing``; returns timings."""
    rng = random.Random(seed)
    months = month_range(FIRST_MONTH, LAST_MONTH)
    names = companies(rng, max(50, postings // 40))
    # Zipf-like: a few companies post every month, most rarely.
    company_weights = list(
        itertools.accumulate(1 / (rank + 1) ** 0.8 for rank in range(len(names)))
    )
    landing = data_dir / "landing"
    recent: list[list[Posting]] = []
    next_id = 10_000_000
    parse_write_s = 0.0
    started = time.perf_counter()
    for index, ((year, month), volume) in enumerate(
        zip(months, monthly_volumes(postings, months), strict=True)
    ):
        mix = role_mix(index / max(1, len(months) - 1), year)
        thread_id = next_id
        title = f"Ask HN: Who is hiring? ({datetime(year, month, 1):%B %Y})"
        thread = Thread(id=thread_id, title=title, month=f"{year}-{month:02d}")
        pool = [p for window in recent[-3:] for p in window]
        items = list(
            month_items(rng, year, month, volume, mix, names, company_weights, pool, thread_id + 1)
        )
        recent.append(
            [Posting(i["company"], i["text"]) for i in rng.sample(items, min(200, volume))]
        )
        clock = time.perf_counter()
        records = [to_record(item, thread) for item in items]
        write_batch(
            landing,
            SOURCE,
            records,
            urls=[f"synthetic://hn/item/{thread_id}"],
            cursor_before={},
            cursor_after={str(thread_id): items[-1]["id"] if items else thread_id},
            method=METHOD,
            fetched_at=datetime(year, month, 28, tzinfo=UTC),
        )
        parse_write_s += time.perf_counter() - clock
        next_id = thread_id + volume + 1
        if not quiet:
            print(f"{year}-{month:02d}: {volume:,} postings", file=sys.stderr)
    return {
        "postings": postings,
        "months": len(months),
        "total_s": time.perf_counter() - started,
        "parse_write_s": parse_write_s,
    }


def generate_day(data_dir: Path, history_postings: int, seed: int = 7) -> dict:
    """Land one day of new comments on top of ``generate(data_dir, history_postings,
    seed)``: ``history_postings // 1000`` comments (at least 10) of the thread of the
    month after LAST_MONTH, as one batch fetched that month.

    The same companies post (so repost linking meets the history: the same company and
    title within 90 days), drawn with another seed; a real HN day is smaller (about a
    thirtieth of a month's thread, 1/4000 of this history), so this overstates a day."""
    volume = max(10, history_postings // 1000)
    names = companies(random.Random(seed), max(50, history_postings // 40))
    company_weights = list(
        itertools.accumulate(1 / (rank + 1) ** 0.8 for rank in range(len(names)))
    )
    rng = random.Random(seed + 1)
    year, month = (
        (LAST_MONTH[0] + 1, 1) if LAST_MONTH[1] == 12 else (LAST_MONTH[0], LAST_MONTH[1] + 1)
    )
    # Item ids above every id the history used (it starts at 10M and takes one per posting).
    thread_id = 10_000_000 + 2 * history_postings + 10_000
    thread = Thread(
        id=thread_id,
        title=f"Ask HN: Who is hiring? ({datetime(year, month, 1):%B %Y})",
        month=f"{year}-{month:02d}",
    )
    mix = role_mix(1.0, year)
    started = time.perf_counter()
    items = list(
        month_items(rng, year, month, volume, mix, names, company_weights, [], thread_id + 1)
    )
    write_batch(
        data_dir / "landing",
        SOURCE,
        [to_record(item, thread) for item in items],
        urls=[f"synthetic://hn/item/{thread_id}"],
        cursor_before={},
        cursor_after={str(thread_id): items[-1]["id"]},
        method=METHOD,
        fetched_at=datetime(year, month, 2, tzinfo=UTC),
    )
    return {"postings": volume, "month": thread.month, "total_s": time.perf_counter() - started}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postings", type=int, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(generate(args.data_dir, args.postings, args.seed))


if __name__ == "__main__":
    main()
