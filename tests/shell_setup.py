"""A shop set up for the automation tests: the example statements, its open items and a job file.

The job file reconciles daily: statements from the ``bank`` source, the ERP's open
items, and the export to the ``accounting`` target. :func:`write_shop` lays it out
with local folders; the SFTP test passes its own target tables.
"""

from __future__ import annotations

import shutil
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "data"
STATEMENTS = ("statement.camt053.xml", "statement.mt940")

FOLDER_TARGETS = """
[targets.bank]
kind = "folder"
path = "bank"

[targets.accounting]
kind = "folder"
path = "accounting"
"""

JOB_FILE = """
[store]
url = "sqlite:///state/paymatch.db"

[logs]
folder = "logs"
header = "Example shop, client 1"

{targets}

[sources.bank]
target = "bank"
pattern = "statement.*"

[jobs.daily]
kind = "reconcile"
sources = ["bank"]
open_items = "erp/open_items.json"
target = "accounting"
format = "{format}"
schedule = {{ every = "daily", at = "06:30", timezone = "Europe/Berlin" }}

[jobs.import]
kind = "import"
sources = ["bank"]

{extra}

[export]
format = "datev"

[export.posting]
chart = "SKR03"

[export.datev]
consultant_number = 1001
client_number = 1
"""


def write_shop(
    folder: Path,
    *,
    targets: str = FOLDER_TARGETS,
    export_format: str = "datev",
    extra: str = "",
    bank: Path | None = None,
) -> Path:
    """Lay out the shop in ``folder``: statements in ``bank`` (or ``folder/bank``), open
    items in ``erp/``, and the job file; return the job file's path."""
    bank = bank or folder / "bank"
    bank.mkdir(parents=True, exist_ok=True)
    for name in STATEMENTS:
        shutil.copy(EXAMPLES / name, bank / name)
    (folder / "erp").mkdir(exist_ok=True)
    shutil.copy(EXAMPLES / "open_items.json", folder / "erp" / "open_items.json")
    path = folder / "paymatch-jobs.toml"
    path.write_text(
        JOB_FILE.format(targets=targets, format=export_format, extra=extra), encoding="utf-8"
    )
    return path
