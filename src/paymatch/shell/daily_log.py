"""Daily log files: one per day and program, a header, then a section per run.

As the seed's sync center writes them: ``paymatch 2026-11-24.log`` holds what a
person reads (start, what was done, counts, end of each run), ``paymatch debug
2026-11-24.log`` holds that and the details. A run that succeeded has no line that
says ERROR (problems that did not fail the run are WARNING). Every line passes
through :func:`~paymatch.shell.secrets.redact`. Files older than ``keep_days`` are
removed by :meth:`DailyLog.prune`.

The clock is passed in, so tests can write any day's log.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from paymatch._version import __version__
from paymatch.shell.secrets import redact

__all__ = ["DailyLog", "RunLog"]

Clock = Callable[[], dt.datetime]


class DailyLog:
    """The log folder of one program; :meth:`run` opens a run's section."""

    def __init__(
        self, folder: Path, *, program: str = "paymatch", header: str = "", clock: Clock
    ) -> None:
        self.folder = folder
        self.program = program
        self.header = header
        self.clock = clock
        self._name = re.compile(rf"{re.escape(program)}(?: debug)? (\d{{4}}-\d{{2}}-\d{{2}})\.log")

    def path(self, day: dt.date, *, debug: bool = False) -> Path:
        """The file of ``day``: ``<program> yyyy-mm-dd.log`` or ``<program> debug ...``."""
        kind = " debug" if debug else ""
        return self.folder / f"{self.program}{kind} {day.isoformat()}.log"

    def run(self, title: str) -> RunLog:
        """A new section for one run, titled ``title`` (``job daily (reconcile)``)."""
        return RunLog(self, title)

    def prune(self, keep_days: int) -> list[Path]:
        """Remove this program's logs of days more than ``keep_days`` ago; return them."""
        oldest = self.clock().astimezone().date() - dt.timedelta(days=keep_days)
        removed: list[Path] = []
        if not self.folder.is_dir():
            return removed
        for path in sorted(self.folder.iterdir()):
            found = self._name.fullmatch(path.name)
            if found is not None and dt.date.fromisoformat(found.group(1)) < oldest:
                path.unlink(missing_ok=True)
                removed.append(path)
        return removed

    def write_line(self, line: str, *, debug_only: bool = False) -> str:
        """Append ``line``, time-stamped and redacted, to today's files; return it as written."""
        now = self.clock().astimezone()
        stamped = f"{now:%Y-%m-%d %H:%M:%S} {redact(line)}\n"
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # names and IBANs inside
        for debug in (True,) if debug_only else (False, True):
            path = self.path(now.date(), debug=debug)
            new = not path.exists()
            with path.open("a", encoding="utf-8") as stream:
                if new:
                    stream.write(self._header(now, debug=debug))
                stream.write(stamped)
        return stamped

    def _header(self, now: dt.datetime, *, debug: bool) -> str:
        kind = "debug log" if debug else "log"
        lines = [
            f"# {self.program} {kind} of {now.date().isoformat()}",
            f"# paymatch {__version__} on {socket.gethostname()}, process {os.getpid()}",
        ]
        if self.header:
            lines.append(f"# {redact(self.header)}")
        return "\n".join(lines) + "\n"


class RunLog:
    """The section of one run; also keeps its lines for the failure mail."""

    def __init__(self, log: DailyLog, title: str) -> None:
        self.log = log
        self.title = title
        self.lines: list[str] = []
        self.errors: list[str] = []
        self.started = log.clock()

    def __enter__(self) -> RunLog:
        self._write("=" * 8 + f" start of {self.title} " + "=" * 8, level="INFO")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if error is not None and not self.failed:
            self.error(f"stopped by {type(error).__name__}: {error}")
        seconds = (self.log.clock() - self.started).total_seconds()
        outcome = "failed" if self.failed else "succeeded"
        self._write(
            "=" * 8 + f" end of {self.title}: {outcome} in {seconds:.1f} s " + "=" * 8,
            level="INFO",
        )

    def info(self, message: str) -> None:
        """What was done: in the log and the debug log."""
        self._write(message, level="INFO")

    def warning(self, message: str) -> None:
        """A problem that did not fail the run."""
        self._write(message, level="WARNING")

    def error(self, message: str) -> None:
        """A failure: the run is failed."""
        self.errors.append(redact(message))
        self._write(message, level="ERROR")

    def debug(self, message: str) -> None:
        """Details for the debug log only."""
        self._write(message, level="DEBUG", debug_only=True)

    @property
    def failed(self) -> bool:
        """Whether an error was logged: the run failed."""
        return bool(self.errors)

    @property
    def text(self) -> str:
        """The run's section as written to the log (for the failure mail's attachment)."""
        return "".join(self.lines)

    def _write(self, message: str, *, level: str, debug_only: bool = False) -> None:
        written = self.log.write_line(f"{level:<7} {message}", debug_only=debug_only)
        if not debug_only:
            self.lines.append(written)
