"""The core reads no clock and opens no file (DESIGN.md: "Rules of the core").

import-linter keeps the core from importing the shell; this test looks inside
the core's modules for the calls that would read the clock or touch files
without importing anything from the shell.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "paymatch"
CORE = [
    "model",
    "ledger",
    "parsers",
    "matching",
    "accounting",
    "errors.py",
    "wire.py",
    "plugins.py",
    "settings.py",
]
FORBIDDEN_ATTRIBUTES = {"now", "utcnow", "today", "time", "monotonic", "perf_counter"}
FORBIDDEN_NAMES = {"open", "print", "input"}
FORBIDDEN_MODULES = {"os", "pathlib", "socket", "subprocess", "shutil", "tempfile", "time"}


def core_files() -> list[Path]:
    files: list[Path] = []
    for part in CORE:
        path = SRC / part
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return files


def findings(source: str) -> list[str]:
    """The clock reads, file accesses and I/O imports in ``source``, one line each."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            function = node.func
            if isinstance(function, ast.Attribute) and function.attr in FORBIDDEN_ATTRIBUTES:
                found.append(f"line {node.lineno}: .{function.attr}()")
            if isinstance(function, ast.Name) and function.id in FORBIDDEN_NAMES:
                found.append(f"line {node.lineno}: {function.id}()")
        if isinstance(node, ast.Import):
            found += [
                f"line {node.lineno}: import {alias.name}"
                for alias in node.names
                if alias.name.split(".")[0] in FORBIDDEN_MODULES
            ]
        module = node.module if isinstance(node, ast.ImportFrom) else None
        if module is not None and module.split(".")[0] in FORBIDDEN_MODULES:
            found.append(f"line {node.lineno}: from {module} import ...")
    return found


@pytest.mark.parametrize("path", core_files(), ids=lambda path: str(path.relative_to(SRC)))
def test_core_module_reads_no_clock_and_opens_no_file(path: Path) -> None:
    assert findings(path.read_text(encoding="utf-8")) == []


def test_the_scan_flags_clock_reads_file_access_and_io_imports() -> None:
    source = (
        "import datetime, os\n"
        "from pathlib import Path\n"
        "x = datetime.datetime.now()\n"
        "open('f')\n"
        "d = datetime.date.today()\n"
    )
    assert findings(source) == [
        "line 1: import os",
        "line 2: from pathlib import ...",
        "line 3: .now()",
        "line 4: open()",
        "line 5: .today()",
    ]
