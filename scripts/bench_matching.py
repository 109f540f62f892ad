"""Title matching accuracy and speed on a labelled CSV of job titles (header `title,soc_code`).

Usage: uv run python scripts/bench_matching.py [CSV]   (default tests/data/job_titles.csv)

Builds the matcher from the shipped occupations and aliases, matches every title and prints
rows, top-1 and top-3 accuracy, mean and p99 milliseconds per title, the build time and the
misses. `run(path)` returns the same figures as a dict for other scripts (the nox bench).
"""

from __future__ import annotations

import csv
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from pricing_adapters.title_aliases import load_aliases, load_occupations
from pricing_core.matching import TitleMatcher

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "tests/data/job_titles.csv"
REPEATS = 5  # timing passes over the whole set; accuracy comes from the first


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(path: Path | str = DEFAULT) -> dict[str, Any]:
    """Figures for one labelled CSV: rows, top1, top3, mean_ms, p99_ms, build_s, misses."""
    with Path(path).open(newline="", encoding="utf-8") as handle:
        rows = [(r["title"], r["soc_code"].strip()) for r in csv.DictReader(handle)]
    occupations, aliases = load_occupations(), load_aliases()
    start = time.perf_counter()
    matcher = TitleMatcher.build(occupations, aliases)
    build_s = time.perf_counter() - start
    top1 = top3 = 0
    misses: list[dict[str, str]] = []
    timings: list[float] = []
    for repeat in range(REPEATS):
        for title, expected in rows:
            start = time.perf_counter()
            result = matcher.match(title, limit=3)
            timings.append((time.perf_counter() - start) * 1000)
            if repeat:
                continue
            codes = [c.job_code for c in result.candidates]
            top1 += codes[:1] == [expected]
            top3 += expected in codes
            if codes[:1] != [expected]:
                best = result.candidates[0] if result.candidates else None
                misses.append(
                    {
                        "title": title,
                        "expected": expected,
                        "got": f"{best.job_code} {best.title} ({best.score:.2f}: {best.reason})"
                        if best
                        else "nothing",
                        "in_top3": str(expected in codes),
                    }
                )
    count = max(len(rows), 1)
    return {
        "rows": len(rows),
        "top1": top1 / count,
        "top3": top3 / count,
        "mean_ms": statistics.fmean(timings) if timings else 0.0,
        "p99_ms": _percentile(timings, 0.99) if timings else 0.0,
        "build_s": build_s,
        "aliases": len(aliases),
        "misses": misses,
    }


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT
    if not path.exists():
        print(f"no such file: {path}", file=sys.stderr)
        return 2
    figures = run(path)
    print(f"file      {path}")
    print(f"rows      {figures['rows']}")
    print(f"top-1     {figures['top1']:.1%}")
    print(f"top-3     {figures['top3']:.1%}")
    print(f"mean      {figures['mean_ms']:.3f} ms per title")
    print(f"p99       {figures['p99_ms']:.3f} ms per title")
    print(f"build     {figures['build_s'] * 1000:.0f} ms ({figures['aliases']} aliases)")
    print(f"misses    {len(figures['misses'])}")
    for miss in figures["misses"]:
        mark = "top-3" if miss["in_top3"] == "True" else "     "
        print(f"  {mark} {miss['title']!r}: expected {miss['expected']}, got {miss['got']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
