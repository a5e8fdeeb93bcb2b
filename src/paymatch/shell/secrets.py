"""Secrets: passwords come from environment variables or the system keyring, never from a file.

A job file names where a secret is, never the secret itself::

    password = { env = "PAYMATCH_SFTP_PASSWORD" }
    password = { keyring = "paymatch", user = "sftp-bank" }

A password written in clear (``password = "hunter2"``) is refused, and the refusal
does not repeat it. Every secret read is remembered in this process, and
:func:`redact` replaces it with ``***`` in any text: the daily logs, error messages and
the CLI's output all pass through it.

>>> ref = SecretRef(env="PAYMATCH_DOCTEST_SECRET")
>>> import os; os.environ["PAYMATCH_DOCTEST_SECRET"] = "s3cr3t-value"
>>> ref.reveal("target 'bank'")
's3cr3t-value'
>>> redact("login with s3cr3t-value failed")
'login with *** failed'
"""

from __future__ import annotations

import contextlib
import os
import threading

import attrs

from paymatch.errors import SecretError
from paymatch.settings import add_structure_hook

__all__ = ["SecretRef", "redact", "remember_secret"]

_KNOWN: set[str] = set()
_LOCK = threading.Lock()


def remember_secret(value: str) -> None:
    """Have :func:`redact` hide ``value`` from now on (values shorter than 4 are hidden too)."""
    if value:
        with _LOCK:
            _KNOWN.add(value)


def redact(text: str) -> str:
    """``text`` with every secret read in this process replaced by ``***``."""
    with _LOCK:
        known = sorted(_KNOWN, key=len, reverse=True)
    for value in known:
        text = text.replace(value, "***")
    return text


@attrs.frozen
class SecretRef:
    """Where a secret is: an environment variable, or a keyring service and user name."""

    env: str | None = None
    keyring: str | None = None
    user: str | None = None

    def __attrs_post_init__(self) -> None:
        if (self.env is None) == (self.keyring is None):
            raise ValueError('a secret is { env = "NAME" } or { keyring = "service", user = ... }')
        if self.keyring is not None and not self.user:
            raise ValueError("a keyring secret needs its user name")

    def describe(self) -> str:
        """Where the secret is, for messages: ``environment variable X`` or ``keyring s/u``."""
        if self.env is not None:
            return f"environment variable {self.env}"
        return f"keyring entry {self.keyring}/{self.user}"

    def reveal(self, owner: str) -> str:
        """The secret's value, remembered for :func:`redact`; SecretError naming ``owner``."""
        if self.env is not None:
            value = os.environ.get(self.env)
        else:
            import keyring
            import keyring.errors

            try:
                value = keyring.get_password(self.keyring or "", self.user or "")
            except keyring.errors.KeyringError as error:
                raise SecretError(f"{owner}: keyring not usable: {error}") from None
        if not value:
            raise SecretError(f"{owner}: the secret is missing: {self.describe()} is not set")
        remember_secret(value)
        return value

    def remember(self, owner: str) -> None:
        """Read the secret for :func:`redact` if it is set; a missing one is no error here."""
        with contextlib.suppress(SecretError):
            self.reveal(owner)


def _structure(value: object, _: type) -> SecretRef:
    """A secret reference from TOML; a plain string is refused without repeating it."""
    if isinstance(value, str):
        raise ValueError(
            'a secret is never written in the job file: give { env = "NAME" } '
            'or { keyring = "service", user = "name" }'
        )
    if not isinstance(value, dict) or not set(value) <= {"env", "keyring", "user"}:
        raise ValueError('expected { env = "NAME" } or { keyring = "service", user = "name" }')
    if not all(isinstance(part, str) for part in value.values()):
        raise ValueError("the names of a secret's place are strings")
    return SecretRef(**value)


add_structure_hook(SecretRef, _structure)
