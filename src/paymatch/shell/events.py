"""Events: an open item became fully paid; listeners and webhooks are told.

An embedding service (the seed's POS) pushes the paid status to its shops. When a
job's allocations pay an item in full, the store records it in the same transaction
(``paid_items``); afterwards every listener is told, and the item is marked notified
only when all of them took it. A listener that fails is retried on the next run, so
each is told at least once; the event carries the item number for de-duplication.

Listeners are objects with an ``item_paid(event)`` method, installed under the
entry-point group ``paymatch.events`` (or passed in), and webhook URLs that receive
the event as JSON by HTTP POST (any 2xx answer is success).
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import attrs

from paymatch.errors import EventPluginError
from paymatch.model import OpenItem
from paymatch.plugins import load_plugins
from paymatch.wire import open_item_to_json

__all__ = ["ItemPaid", "ItemPaidListener", "Webhook", "load_listeners", "tell"]


@attrs.frozen
class ItemPaid:
    """Open item ``item`` is fully paid since ``paid_at`` (the run that paid it)."""

    item: OpenItem
    paid_at: dt.datetime

    def to_json(self) -> dict[str, object]:
        """The event as webhooks receive it."""
        return {
            "event": "item_paid",
            "number": self.item.number,
            "paid_at": self.paid_at.isoformat(),
            "item": open_item_to_json(self.item),
        }


@runtime_checkable
class ItemPaidListener(Protocol):
    """What the ``paymatch.events`` entry points provide."""

    def item_paid(self, event: ItemPaid) -> None:
        """React to a paid item; raise to have the event delivered again on the next run."""


def _check(listener: object, origin: str) -> None:
    if not callable(getattr(listener, "item_paid", None)):
        raise EventPluginError(f"{origin} has no item_paid(event) method")


def load_listeners() -> list[ItemPaidListener]:
    """The listeners installed under the entry-point group ``paymatch.events``."""
    found = load_plugins(
        "paymatch.events",
        kind="event listener",
        is_plugin=lambda value: isinstance(value, ItemPaidListener),
        check=_check,
        error=EventPluginError,
    )
    return [listener for listener in found if isinstance(listener, ItemPaidListener)]


@attrs.frozen
class Webhook:
    """A URL that receives each event as a JSON POST, with a bearer ``token`` if given."""

    url: str
    timeout: float = 10
    token: str | None = attrs.field(default=None, repr=False)

    def item_paid(self, event: ItemPaid) -> None:
        """POST the event; OSError (or HTTPError) when the server is down or says no."""
        headers = {"Content-Type": "application/json", "User-Agent": "paymatch"}
        if self.token is not None:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(
            self.url,
            data=json.dumps(event.to_json(), ensure_ascii=False).encode("utf-8"),
            headers=headers,
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as answer:
            if not 200 <= answer.status < 300:
                raise urllib.error.HTTPError(
                    self.url, answer.status, answer.reason, answer.headers, None
                )


def tell(listeners: Sequence[ItemPaidListener], event: ItemPaid) -> list[str]:
    """Tell every listener; the failures as text (empty when all took the event)."""
    failures = []
    for listener in listeners:
        try:
            listener.item_paid(event)
        except Exception as error:  # a listener's failure must not stop the others
            failures.append(f"{_name(listener)}: {error}")
    return failures


def _name(listener: object) -> str:
    if isinstance(listener, Webhook):
        return f"webhook {listener.url}"
    return type(listener).__qualname__
