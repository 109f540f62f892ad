"""Build the compact OEWS extract shipped inside pricing_adapters from the BLS OEWS SQLite.

Usage: python scripts/build_oews_extract.py ../shared/data/oews/oews-2025.sqlite.gz [OUT_DIR]

Keeps what pricing needs: every area's cross-industry cuts and the national industry cuts,
with annual P10-P90, employment, wage RSE and the footnote state of each percentile. Each
percentile cell is a whole number of dollars, or `T` (top-coded, footnote 5), `H` (hourly
only, footnote 4) or `S` (not released, footnote 8, or not published). Rows are sorted so
that the same occupation's rows sit together, which is what makes them compress well.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parents[1] / (
    "packages/pricing_adapters/src/pricing_adapters/data/oews-2025"
)
PERCENTILE_TYPES = ("11", "12", "13", "14", "15")
FOOTNOTE_STATE = {"5": "T", "4": "H", "8": "S"}
TOP_CODE = "239200"
AREA_KIND = {"N": "national", "S": "state"}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def percentile_cell(value: str, footnote: str) -> str:
    if value not in ("", "-"):
        return str(round(float(value)))
    return FOOTNOTE_STATE.get(footnote, "S")


def plain_number(value: str) -> str:
    return "" if value in ("", "-") else value


def open_database(source: Path, workdir: Path) -> sqlite3.Connection:
    if source.suffix == ".gz":
        target = workdir / "oews.sqlite"
        with gzip.open(source, "rb") as packed, target.open("wb") as plain:
            shutil.copyfileobj(packed, plain)
        source = target
    return sqlite3.connect(f"file:{source}?mode=ro", uri=True)


def write_gz_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    # mtime=0 keeps the file byte-identical between builds of the same input
    with (
        path.open("wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as packed,
    ):
        packed.write(buffer.getvalue().encode())


def area_rows(db: sqlite3.Connection) -> list[list[str]]:
    rows = []
    query = "SELECT area_code, areatype_code, state_code, area_name FROM area ORDER BY 1"
    for code, kind_code, state, name in db.execute(query):
        if kind_code == "M":
            kind = "nonmetro" if "nonmetropolitan" in name.lower() else "metro"
            parent = f"{state}00000"
        else:
            kind = AREA_KIND[kind_code]
            parent = "" if kind == "national" else "0000000"
        rows.append([code, name, kind, parent])
    return rows


def cut_rows(db: sqlite3.Connection) -> list[list[str]]:
    value_cols = ", ".join(f"v{t}, f{t}" for t in PERCENTILE_TYPES)
    query = f"SELECT key, v01, v05, {value_cols} FROM cell"
    rows = []
    for key, employment, rse, *cells in db.execute(query):
        area_type, area, industry, occupation = key[3], key[4:11], key[11:17], key[17:23]
        if area_type != "N" and industry != "000000":
            continue
        percentiles = [
            percentile_cell(cells[i], cells[i + 1] or "") for i in range(0, len(cells), 2)
        ]
        rows.append(
            [occupation, area, industry, plain_number(employment), plain_number(rse), *percentiles]
        )
    rows.sort()
    return rows


def build(source: Path, out: Path) -> dict[str, object]:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir:
        db = open_database(source, Path(workdir))
        meta = dict(db.execute("SELECT name, value FROM meta"))
        areas = area_rows(db)
        occupations = [
            [code, name, str(level)]
            for code, name, level in db.execute(
                "SELECT occupation_code, occupation_name, display_level FROM occupation ORDER BY 1"
            )
        ]
        industries = [
            [code, name, str(level)]
            for code, name, level in db.execute(
                "SELECT industry_code, industry_name, display_level FROM industry ORDER BY 1"
            )
        ]
        cuts = cut_rows(db)
        db.close()
    header = ["job_code", "area_code", "industry_code", "employment", "wage_rse"]
    write_gz_csv(out / "cuts.csv.gz", [*header, "p10", "p25", "p50", "p75", "p90"], cuts)
    write_gz_csv(out / "areas.csv.gz", ["code", "name", "kind", "parent"], areas)
    write_gz_csv(out / "occupations.csv.gz", ["code", "title", "display_level"], occupations)
    write_gz_csv(out / "industries.csv.gz", ["code", "name", "display_level"], industries)
    manifest_path = source.with_name("manifest.json")
    upstream = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    year = meta["data_year"]
    provenance: dict[str, object] = {
        "source": f"oews-{year}",
        "title": f"BLS Occupational Employment and Wage Statistics, {meta['release']}",
        "kind": "public",
        "version": meta["release_code"],
        "release": meta["release"],
        "data_year": year,
        "effective_date": f"{year}-05-12",
        "currency": "USD",
        "top_code": TOP_CODE,
        "built_from": {"file": source.name, "sha256": sha256_of(source)},
        "bls_files": {
            name: {"url": info["url"], "sha256": info["sha256"]}
            for name, info in upstream.get("sources", {}).items()
        },
        "counts": {
            "cuts": len(cuts),
            "areas": len(areas),
            "occupations": len(occupations),
            "industries": len(industries),
        },
        "files": {path.name: sha256_of(path) for path in sorted(out.glob("*.csv.gz"))},
    }
    (out / "provenance.json").write_text(json.dumps(provenance, indent=2, sort_keys=True) + "\n")
    return provenance


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[2]) if len(argv) == 3 else DEFAULT_OUT
    provenance = build(Path(argv[1]), out)
    print(json.dumps(provenance["counts"]), "written to", out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
