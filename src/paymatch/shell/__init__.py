"""The automation shell: store, schedules, jobs and worker, delivery, mail and daily logs.

Everything here does I/O or reads the clock; it imports the pure core and is never
imported by it (the import contract in CI keeps it so). ``import paymatch`` does not
load it: ``from paymatch.shell import ...`` does. See docs/automation.md.
"""

from paymatch.shell.config import AutomationConfig, ConfigError, check_config, load_config
from paymatch.shell.daily_log import DailyLog, RunLog
from paymatch.shell.events import ItemPaid, ItemPaidListener, Webhook, load_listeners
from paymatch.shell.jobs import JobRunner, RunResult
from paymatch.shell.schedule import Frequency, Schedule, Weekday
from paymatch.shell.secrets import SecretRef, redact
from paymatch.shell.store import JobRun, LoadedLedger, Store
from paymatch.shell.targets import Target, open_target
from paymatch.shell.worker import Worker

__all__ = [
    "AutomationConfig",
    "ConfigError",
    "DailyLog",
    "Frequency",
    "ItemPaid",
    "ItemPaidListener",
    "JobRun",
    "JobRunner",
    "LoadedLedger",
    "RunLog",
    "RunResult",
    "Schedule",
    "SecretRef",
    "Store",
    "Target",
    "Webhook",
    "Weekday",
    "Worker",
    "check_config",
    "load_config",
    "load_listeners",
    "open_target",
    "redact",
]
