"""The core stays pure: attrs and the standard library, and no I/O, clock or environment."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import pricing_core

CORE = Path(pricing_core.__file__).parent
MODULES = sorted(CORE.rglob("*.py"))
ALLOWED_ROOTS = {"attrs", "pricing_core", "__future__"}
# I/O, processes, sockets, the environment and the wall clock are adapters' business.
FORBIDDEN_STDLIB = {
    "os",
    "io",
    "socket",
    "subprocess",
    "pathlib",
    "shutil",
    "logging",
    "time",
    "random",
}
FORBIDDEN_CALLS = {"now", "utcnow", "today", "open", "getenv"}


def imported_roots(tree: ast.AST) -> set[str]:
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_the_core_has_modules() -> None:
    assert len(MODULES) > 10


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(CORE)))
def test_imports_only_attrs_and_the_standard_library(path: Path) -> None:
    roots = imported_roots(ast.parse(path.read_text()))
    outside = {r for r in roots - ALLOWED_ROOTS if r not in sys.stdlib_module_names}
    assert not outside, f"{path.name} imports {sorted(outside)}"
    assert not roots & FORBIDDEN_STDLIB, f"{path.name} imports {sorted(roots & FORBIDDEN_STDLIB)}"


def _through_clock_port(call: ast.Call) -> bool:
    """`self.clock.now()` / `clock.today()`: the injected Clock port, which is how time comes in."""
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", "")
    return name == "clock"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(CORE)))
def test_reads_no_clock_and_opens_no_file(path: Path) -> None:
    tree = ast.parse(path.read_text())
    calls = {
        node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and not _through_clock_port(node)
    }
    assert not calls & FORBIDDEN_CALLS, f"{path.name} calls {sorted(calls & FORBIDDEN_CALLS)}"
