"""The seed's folders of the payment management, and a movement's assignment state."""

from __future__ import annotations

import enum

__all__ = ["AssignmentState", "Folder"]


class AssignmentState(enum.StrEnum):
    """How much of a movement's money is accounted for; derived from its allocations."""

    UNASSIGNED = "unassigned"  # nothing allocated yet
    PARTLY_ASSIGNED = "partly_assigned"  # some, but not all, of the money allocated
    FULLY_ASSIGNED = "fully_assigned"  # every cent allocated


class Folder(enum.StrEnum):
    """The views of "Zahlungsverwaltung > Kontobewegungen".

    A hidden movement is only in ``HIDDEN``; a pending one only in ``PENDING``;
    a failed or cancelled one only in ``FAILED``. A completed movement is in
    ``NOT_ASSIGNED`` while any of its money is unassigned (so a partly
    assigned one is in ``NOT_ASSIGNED`` and in ``PARTLY_ASSIGNED``), and in
    ``FULLY_ASSIGNED`` once all of it is.
    """

    NOT_ASSIGNED = "not_assigned"  # completed, unassigned or partly assigned
    PARTLY_ASSIGNED = "partly_assigned"  # completed, partly assigned
    FULLY_ASSIGNED = "fully_assigned"  # completed, fully assigned
    PENDING = "pending"  # in progress, not yet booked
    FAILED = "failed"  # failed or cancelled
    HIDDEN = "hidden"  # hidden by a person, whatever its state
