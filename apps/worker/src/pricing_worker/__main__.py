"""`pricing-worker [--processes N] [--threads M]`: run the job actors until stopped."""

from __future__ import annotations

import argparse
import sys

from pricing_adapters.settings import Settings, SettingsError
from pricing_adapters.worker.runner import NoBroker, run_worker

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pricing-worker", description=__doc__)
    parser.add_argument("--processes", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads each (default 4)")
    options = parser.parse_args(argv)
    try:
        return run_worker(Settings.from_env(), processes=options.processes, threads=options.threads)
    except (SettingsError, NoBroker) as error:
        print(f"pricing-worker: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
