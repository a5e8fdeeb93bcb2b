"""The automation file: one TOML with the store, logs, mail, targets, sources and jobs.

It also carries the matching (``[matching]``), open-items layout (``[open_items]``)
and export settings (``[export]``: format, selection, posting rules, chart of
accounts) that ``paymatch reconcile --config`` reads, so a job exports exactly as
the command does. Relative paths are relative to the file's folder.

:func:`check_config` reports every problem with its key path (``jobs.daily.target:
no target 'datev-sftp'``), not just the first; :func:`load_config` raises them all
in one :class:`ConfigError`. Secrets are references (see
:mod:`paymatch.shell.secrets`); a password in clear is one of the problems.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import attrs
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from paymatch.accounting.batch import FORMATS, ExportSettings
from paymatch.accounting.selection import ExportSelection
from paymatch.errors import ExportError, InvalidValueError
from paymatch.matching import MatchConfig, OpenItemFormat
from paymatch.model import Account, AccountKind
from paymatch.settings import read_toml, settings_problems
from paymatch.shell.schedule import Schedule
from paymatch.shell.secrets import SecretRef

__all__ = [
    "AccountSettings",
    "AutomationConfig",
    "ConfigError",
    "EventSettings",
    "JobKind",
    "JobSettings",
    "LogSettings",
    "MailSecurity",
    "MailSettings",
    "SourceSettings",
    "StoreSettings",
    "TargetKind",
    "TargetSettings",
    "check_config",
    "load_config",
]

T = TypeVar("T")


class ConfigError(InvalidValueError):
    """The automation file has problems; ``problems`` lists each with its key path."""

    def __init__(self, source: str, problems: list[InvalidValueError]) -> None:
        self.problems = problems
        super().__init__(source, "; ".join(str(problem) for problem in problems))


@attrs.frozen
class AccountSettings:
    """One of the company's bank or provider accounts.

    When the file lists accounts, only statements of these accounts are imported (a
    statement of another company's account is refused, not booked), and each
    account's ``ledger_account`` is its account in the books for the export.
    """

    kind: AccountKind
    currency: str = "EUR"
    iban: str | None = None
    identifier: str | None = None
    name: str | None = None
    ledger_account: str | None = None

    def __attrs_post_init__(self) -> None:
        _ = self.account  # checks IBAN, currency and identifier as the model does

    @property
    def account(self) -> Account:
        """The model's account: its ``key`` is what statements and movements carry."""
        return Account(
            kind=self.kind,
            currency=self.currency,
            iban=self.iban,
            identifier=self.identifier,
            name=self.name,
        )


@attrs.frozen
class StoreSettings:
    """Where the store is: an SQLAlchemy URL (SQLite file by default, or PostgreSQL).

    The URL carries no password; a PostgreSQL password is a secret reference.
    """

    url: str = "sqlite:///paymatch.db"
    password: SecretRef | None = None

    def __attrs_post_init__(self) -> None:
        try:
            url = make_url(self.url)
        except ArgumentError:
            raise InvalidValueError("store.url", "not a database URL") from None
        if url.password is not None:
            raise InvalidValueError(
                "store.url",
                'must not contain a password: give store.password = { env = "NAME" }',
            )
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise InvalidValueError("store.url", "must be sqlite:///FILE or postgresql://...")


@attrs.frozen
class LogSettings:
    """Daily log files: ``<program> yyyy-mm-dd.log`` and ``<program> debug yyyy-mm-dd.log``."""

    folder: str = "logs"
    program: str = "paymatch"
    keep_days: int = 90
    header: str = ""

    def __attrs_post_init__(self) -> None:
        if self.keep_days < 1:
            raise InvalidValueError("logs.keep_days", "must be at least 1")


class MailSecurity(enum.StrEnum):
    """How the SMTP connection is protected."""

    STARTTLS = "starttls"
    TLS = "tls"
    NONE = "none"


@attrs.frozen
class MailSettings:
    """Failure mail over SMTP; ``on_success`` sends a mail after good runs too."""

    host: str
    sender: str
    to: tuple[str, ...]
    port: int = 587
    security: MailSecurity = MailSecurity.STARTTLS
    user: str | None = None
    password: SecretRef | None = None
    on_success: bool = False
    timeout: int = 30
    ca_file: str | None = None

    def __attrs_post_init__(self) -> None:
        if not self.to:
            raise InvalidValueError("mail.to", "needs at least one address")
        if (self.user is None) != (self.password is None):
            raise InvalidValueError("mail.password", "user and password go together")


@attrs.frozen
class EventSettings:
    """Webhook URLs told (by JSON POST) when an open item becomes fully paid.

    ``token``, a secret, is sent as ``Authorization: Bearer <token>``.
    """

    webhooks: tuple[str, ...] = ()
    token: SecretRef | None = None
    timeout: int = 10

    def __attrs_post_init__(self) -> None:
        for url in self.webhooks:
            if not url.startswith(("http://", "https://")):
                raise InvalidValueError("webhooks", f"expected an http(s) URL, got {url!r}")


class TargetKind(enum.StrEnum):
    """Where files are fetched from or delivered to."""

    FOLDER = "folder"
    SFTP = "sftp"
    FTP = "ftp"
    FTPS = "ftps"


_DEFAULT_PORTS = {TargetKind.SFTP: 22, TargetKind.FTP: 21, TargetKind.FTPS: 21}


@attrs.frozen
class TargetSettings:
    """A local folder or a folder on an (S)FTP server.

    SFTP verifies the server's host key against ``known_hosts`` (default
    ``~/.ssh/known_hosts``); ``verify_host_key = false`` must be said explicitly.
    It logs in with ``key_file`` or ``password``; FTPS uses explicit TLS (AUTH TLS)
    and verifies the certificate (``ca_file`` for a private CA).
    """

    kind: TargetKind
    path: str = "."
    host: str | None = None
    port: int | None = None
    user: str | None = None
    password: SecretRef | None = None
    key_file: str | None = None
    known_hosts: str | None = None
    verify_host_key: bool = True
    ca_file: str | None = None
    timeout: int = 30

    def __attrs_post_init__(self) -> None:
        remote = self.kind is not TargetKind.FOLDER
        if remote and not self.host:
            raise InvalidValueError("host", f"a {self.kind} target needs its host")
        if not remote and self.host:
            raise InvalidValueError("host", "a folder target has no host")
        if self.key_file is not None and self.kind is not TargetKind.SFTP:
            raise InvalidValueError("key_file", "only for sftp")

    @property
    def effective_port(self) -> int:
        """The port to connect to: the given one or the protocol's default."""
        return self.port or _DEFAULT_PORTS.get(self.kind, 0)


@attrs.frozen
class SourceSettings:
    """Statement files to import: those matching ``pattern`` in the target's folder.

    After an import a file is moved into ``done`` (or ``failed`` when it could not be
    read), sub-folders of the target's folder.
    """

    target: str
    pattern: str = "*"
    format: str | None = None
    done: str = "done"
    failed: str = "failed"


class JobKind(enum.StrEnum):
    """What a job does; reconcile is import, match and export in one run."""

    IMPORT = "import"
    MATCH = "match"
    EXPORT = "export"
    RECONCILE = "reconcile"

    @property
    def imports(self) -> bool:
        """Whether a job of this kind imports statements."""
        return self in (JobKind.IMPORT, JobKind.RECONCILE)

    @property
    def matches(self) -> bool:
        """Whether a job of this kind runs the matching engine."""
        return self in (JobKind.MATCH, JobKind.RECONCILE)

    @property
    def exports(self) -> bool:
        """Whether a job of this kind exports bookings."""
        return self in (JobKind.EXPORT, JobKind.RECONCILE)


@attrs.frozen
class JobSettings:
    """One job: its kind, when it runs, and what it reads and writes.

    ``sources`` (import), ``open_items`` (a CSV/JSON file the ERP writes, for match),
    ``target`` and ``format`` (export; the ``[export]`` table's format by default).
    Without ``schedule`` the job runs only when started by hand.
    """

    kind: JobKind
    schedule: Schedule | None = None
    sources: tuple[str, ...] = ()
    open_items: str | None = None
    target: str | None = None
    format: str | None = None
    selection: ExportSelection | None = None
    mail_on_failure: bool = True

    def __attrs_post_init__(self) -> None:
        imports, matches, exports = self.kind.imports, self.kind.matches, self.kind.exports
        if imports != bool(self.sources):
            raise InvalidValueError(
                "sources", "needs at least one source" if imports else f"not for {self.kind}"
            )
        if matches != (self.open_items is not None):
            raise InvalidValueError(
                "open_items", "needs the open-items file" if matches else f"not for {self.kind}"
            )
        if exports != (self.target is not None):
            raise InvalidValueError(
                "target", "needs a target" if exports else f"not for {self.kind}"
            )
        if (self.format is not None or self.selection is not None) and not exports:
            what = "format" if self.format is not None else "selection"
            raise InvalidValueError(what, f"only for jobs that export, not for {self.kind}")
        if self.format is not None and self.format not in FORMATS:
            raise InvalidValueError(
                "format", f"expected one of {', '.join(sorted(FORMATS))}, got {self.format!r}"
            )


@attrs.frozen(kw_only=True)
class AutomationConfig:
    """The whole automation file, checked and cross-referenced."""

    base: Path
    store: StoreSettings = StoreSettings()
    logs: LogSettings = LogSettings()
    accounts: Mapping[str, AccountSettings] = attrs.field(factory=dict)
    mail: MailSettings | None = None
    events: EventSettings = EventSettings()
    targets: Mapping[str, TargetSettings] = attrs.field(factory=dict)
    sources: Mapping[str, SourceSettings] = attrs.field(factory=dict)
    jobs: Mapping[str, JobSettings] = attrs.field(factory=dict)
    matching: MatchConfig = attrs.field(factory=MatchConfig)
    open_items: OpenItemFormat | None = None
    export: ExportSettings = attrs.field(factory=ExportSettings)

    def path(self, relative: str) -> Path:
        """A path of the file, resolved against the file's folder (``~`` expanded)."""
        return self.base / Path(relative).expanduser()

    def account_keys(self) -> frozenset[str]:
        """The keys of the listed accounts (empty: every account is welcome)."""
        return frozenset(settings.account.key for settings in self.accounts.values())

    def export_settings(self, job: JobSettings) -> ExportSettings:
        """The ``[export]`` settings as job ``job`` uses them.

        The job's own ``selection`` replaces the table's, and the accounts'
        ``ledger_account`` entries join the posting rules' ``ledger_accounts``.
        """
        ledger_accounts = {
            settings.account.key: settings.ledger_account
            for settings in self.accounts.values()
            if settings.ledger_account is not None
        }
        posting = attrs.evolve(
            self.export.posting,
            ledger_accounts={**ledger_accounts, **self.export.posting.ledger_accounts},
        )
        return attrs.evolve(
            self.export, posting=posting, selection=job.selection or self.export.selection
        )

    def secrets(self) -> list[tuple[str, SecretRef]]:
        """Every secret reference of the file, with its owner (``target 'bank' password``)."""
        found = [
            (f"target {name!r} password", target.password)
            for name, target in self.targets.items()
            if target.password is not None
        ]
        if self.mail is not None and self.mail.password is not None:
            found.append(("mail password", self.mail.password))
        if self.store.password is not None:
            found.append(("store password", self.store.password))
        if self.events.token is not None:
            found.append(("webhook token", self.events.token))
        return found

    def job(self, name: str) -> JobSettings:
        """The job called ``name``; ConfigError listing the known ones otherwise."""
        if name not in self.jobs:
            known = ", ".join(sorted(self.jobs)) or "none"
            raise ConfigError("jobs", [InvalidValueError(f"jobs.{name}", f"no such job ({known})")])
        return self.jobs[name]


_SECTIONS = frozenset(
    {
        "store",
        "logs",
        "accounts",
        "mail",
        "events",
        "targets",
        "sources",
        "jobs",
        "matching",
        "open_items",
        "export",
    }
)


class _Collector:
    """Structures tables one by one, keeping every problem instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[InvalidValueError] = []

    def one(self, table: object, kind: type[T], prefix: str) -> T | None:
        """The table as ``kind``, or None with all of its problems kept."""
        if not isinstance(table, dict):
            self.refuse(prefix, "must be a table")
            return None
        value, problems = settings_problems(table, kind, prefix=prefix)
        self.problems.extend(problems)
        return value

    def named(self, table: object, kind: type[T], prefix: str) -> dict[str, T]:
        """Each entry of a table of named tables (``[jobs.NAME]``) as ``kind``."""
        if not isinstance(table, dict):
            self.refuse(prefix, "must be a table")
            return {}
        found: dict[str, T] = {}
        for name, entry in table.items():
            value = self.one(entry, kind, f"{prefix}.{name}")
            if value is not None:
                found[name] = value
        return found

    def call(self, make: Callable[[], T]) -> T | None:
        try:
            return make()
        except InvalidValueError as error:
            self.problems.append(error)
            return None

    def refuse(self, where: str, reason: str) -> None:
        self.problems.append(InvalidValueError(where, reason))


def check_config(
    text: str, *, base: Path
) -> tuple[AutomationConfig | None, list[InvalidValueError]]:
    """The configuration of ``text`` and every problem found, each naming its key path."""
    collect = _Collector()
    document = collect.call(lambda: read_toml(text))
    if document is None:
        return None, collect.problems
    for unknown in sorted(set(document) - _SECTIONS):
        collect.refuse(unknown, f"unknown section (known: {', '.join(sorted(_SECTIONS))})")
    parts: dict[str, Any] = {
        "store": collect.one(document.get("store", {}), StoreSettings, "store"),
        "logs": collect.one(document.get("logs", {}), LogSettings, "logs"),
        "events": collect.one(document.get("events", {}), EventSettings, "events"),
        "accounts": collect.named(document.get("accounts", {}), AccountSettings, "accounts"),
        "targets": collect.named(document.get("targets", {}), TargetSettings, "targets"),
        "sources": collect.named(document.get("sources", {}), SourceSettings, "sources"),
        "jobs": collect.named(document.get("jobs", {}), JobSettings, "jobs"),
        "matching": collect.one(document.get("matching", {}), MatchConfig, "matching"),
        "export": collect.one(document.get("export", {}), ExportSettings, "export"),
    }
    if "mail" in document:
        parts["mail"] = collect.one(document["mail"], MailSettings, "mail")
    if "open_items" in document:
        parts["open_items"] = collect.one(document["open_items"], OpenItemFormat, "open_items")
    _cross_check(collect, parts, document)
    if collect.problems:
        return None, collect.problems
    return AutomationConfig(base=base, **parts), []


def _cross_check(
    collect: _Collector, parts: Mapping[str, Any], document: Mapping[str, Any]
) -> None:
    """Names used in one section must be declared in another (even if that one has problems)."""
    targets = _declared(document, "targets")
    sources = _declared(document, "sources")
    ledger_accounts = parts["export"].posting.ledger_accounts if parts["export"] else {}
    for name, account in (parts["accounts"] or {}).items():
        given = ledger_accounts.get(account.account.key)
        if account.ledger_account is not None and given not in (None, account.ledger_account):
            collect.refuse(
                f"accounts.{name}.ledger_account",
                f"export.posting.ledger_accounts gives {account.account.key} the account {given}",
            )
    for name, source in (parts["sources"] or {}).items():
        if source.target not in targets:
            collect.refuse(f"sources.{name}.target", f"no target {source.target!r}")
    for name, job in (parts["jobs"] or {}).items():
        for source in job.sources:
            if source not in sources:
                collect.refuse(f"jobs.{name}.sources", f"no source {source!r}")
        if job.target is not None and job.target not in targets:
            collect.refuse(f"jobs.{name}.target", f"no target {job.target!r}")
        if job.target is not None and parts["export"] is not None:
            try:
                parts["export"].check_format(job.format)
            except ExportError as error:
                collect.refuse(f"jobs.{name}.format", str(error))


def _declared(document: Mapping[str, Any], section: str) -> frozenset[str]:
    table = document.get(section, {})
    return frozenset(table) if isinstance(table, dict) else frozenset()


def load_config(path: Path) -> AutomationConfig:
    """The automation file at ``path``; ConfigError with every problem if it has any.

    The secrets it names that are set are read at once, so that no log line written
    afterwards can contain one (see :func:`~paymatch.shell.secrets.redact`).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(
            str(path), [InvalidValueError(str(path), f"cannot read: {error}")]
        ) from None
    config, problems = check_config(text, base=path.resolve().parent)
    if config is None:
        raise ConfigError(str(path), problems)
    for owner, secret in config.secrets():
        secret.remember(owner)
    return config
