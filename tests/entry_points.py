"""Installing entry points for a test, as pip would: a dist-info folder on ``sys.path``."""

from __future__ import annotations

from pathlib import Path

import pytest


def install_entry_points(
    root: Path, monkeypatch: pytest.MonkeyPatch, group: str, *entries: str
) -> None:
    """Make a distribution whose ``entries`` (``name = module:object``) are in ``group``."""
    info = root / f"paymatch_test_{group.replace('.', '_')}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: paymatch-test-{group.replace('.', '-')}\nVersion: 1.0\n",
        encoding="utf-8",
    )
    lines = "\n".join(entries)
    (info / "entry_points.txt").write_text(f"[{group}]\n{lines}\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(root))
