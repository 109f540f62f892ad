"""The repo carries its own specification: every document a comment, a docstring or the
README cites is in the repo, and every link of the README and docs/ leads to a file."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CITED = re.compile(r"\b([a-z][a-z0-9-]*\.md)\b")
LINK = re.compile(r"\]\(([^)#:]+)(?:#[^)]*)?\)")
SOURCES = ("packages", "apps", "tests", "scripts")


def citing_files() -> list[Path]:
    found = [ROOT / "README.md", ROOT / "noxfile.py"]
    for folder in SOURCES:
        found.extend(p for p in (ROOT / folder).rglob("*.py") if ".venv" not in p.parts)
    return found


def test_every_cited_document_is_in_docs() -> None:
    missing = {
        (path.relative_to(ROOT).as_posix(), name)
        for path in citing_files()
        for name in CITED.findall(path.read_text(encoding="utf-8"))
        if name != "readme.md" and not (ROOT / "docs" / name).is_file()
    }
    assert missing == set()


def test_the_security_checklist_cited_by_number_is_in_docs() -> None:
    cites = any("hecklist" in p.read_text(encoding="utf-8") for p in citing_files())
    assert cites
    assert (ROOT / "docs" / "security-checklist.md").is_file()


def test_links_of_the_readme_and_docs_lead_to_files() -> None:
    documents = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    broken = [
        (doc.name, target)
        for doc in documents
        for target in LINK.findall(doc.read_text(encoding="utf-8"))
        if not target.startswith("http") and not (doc.parent / target).exists()
    ]
    assert broken == []


CITED_TEST = re.compile(r"\b(tests/[\w/]+\.py)::(\w+)")


def test_every_test_the_security_checklist_cites_exists() -> None:
    checklist = (ROOT / "docs" / "security-checklist.md").read_text(encoding="utf-8")
    cited = set(CITED_TEST.findall(checklist))
    assert len(cited) > 33
    missing = [
        f"{path}::{name}"
        for path, name in sorted(cited)
        if not (ROOT / path).is_file()
        or not re.search(rf"\b{name}\b", (ROOT / path).read_text(encoding="utf-8"))
    ]
    assert missing == []


SETTING = re.compile(r'"(PRICING_[A-Z_]+)"')
SETTINGS_ROW = re.compile(r"^\| `(PRICING_[A-Z_]+)`(?: / `(PRICING_[A-Z_]+)`)?", re.MULTILINE)


def test_every_setting_has_one_row_in_the_readme() -> None:
    settings = ROOT / "packages/pricing_adapters/src/pricing_adapters/settings.py"
    read = set(SETTING.findall(settings.read_text(encoding="utf-8")))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = [name for row in SETTINGS_ROW.findall(readme) for name in row if name]
    assert read
    assert sorted(rows) == sorted(read)
