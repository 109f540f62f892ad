"""One client process of checklist 21: 8 threads × 5 requests for one user, alternating over
the API servers given. Run as a script: `python storm.py TOKEN URL [URL …]`; prints a JSON
list of [url, status]."""

from __future__ import annotations

import json
import sys
from concurrent.futures import ThreadPoolExecutor

import httpx

PATH = "/api/v1/auth/me/permissions"


def storm(token: str, urls: list[str], threads: int = 8, each: int = 5) -> list[list[object]]:
    headers = {"Authorization": f"Bearer {token}"}

    def worker(n: int) -> list[list[object]]:
        base = urls[n % len(urls)]
        with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
            return [[base, client.get(PATH).status_code] for _ in range(each)]

    with ThreadPoolExecutor(threads) as pool:
        return [row for rows in pool.map(worker, range(threads)) for row in rows]


if __name__ == "__main__":
    print(json.dumps(storm(sys.argv[1], sys.argv[2:])))
