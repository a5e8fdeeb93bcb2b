"""When a job runs: every x minutes, hourly, daily, weekly on chosen days, on a day of the month.

The options are the seeds' (AMPAREX's automatic export, JTL-Worker): an interval of
at least five minutes, a time of day between 06:00 and 22:00, weekdays, a day of the
month and a start date. Times of day are wall-clock times in the schedule's time zone
(``zoneinfo``), so a daily 06:30 run stays at 06:30 local time across daylight-saving
changes. Intervals are real elapsed time: in the autumn's repeated hour an hourly job
runs at 02:00 twice (an hour apart), in spring's missing hour it does not run twice.

:meth:`Schedule.next_run` is a pure function of the instant it is given: the worker
passes the clock in.

>>> import datetime as dt
>>> daily = Schedule(every=Frequency.DAILY, at=dt.time(6, 30), timezone="Europe/Berlin")
>>> daily.next_run(dt.datetime(2026, 3, 28, 12, 0, tzinfo=dt.UTC)).isoformat()
'2026-03-29T06:30:00+02:00'
"""

from __future__ import annotations

import datetime as dt
import enum
import zoneinfo
from collections.abc import Iterator

import attrs
from dateutil import rrule

from paymatch.errors import InvalidValueError

__all__ = ["EARLIEST", "LATEST", "MIN_INTERVAL_MINUTES", "Frequency", "Schedule", "Weekday"]

#: The window for times of day, as in the seed's export settings.
EARLIEST = dt.time(6, 0)
LATEST = dt.time(22, 0)
#: The shortest interval a job may run at (JTL-Worker: at least five minutes).
MIN_INTERVAL_MINUTES = 5


class Frequency(enum.StrEnum):
    """How often a job runs."""

    MINUTES = "minutes"
    HOURLY = "hourly"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class Weekday(enum.StrEnum):
    """Days of the week as written in the job file."""

    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @property
    def number(self) -> int:
        """Monday 0 ... Sunday 6, as :meth:`datetime.date.weekday`."""
        return list(Weekday).index(self)


_INTERVALS = (Frequency.MINUTES, Frequency.HOURLY)


def _zone(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InvalidValueError(
            f"Schedule.{attribute.name}", f"not a known time zone such as Europe/Berlin: {value!r}"
        ) from None


@attrs.frozen
class Schedule:
    """One job's schedule; checked when built, so a job file with a bad one is refused.

    - ``minutes``: every ``interval`` minutes (at least 5);
    - ``hourly``: every hour;
    - ``daily``: at ``at``; ``weekly``: at ``at`` on ``weekdays``;
    - ``monthly``: at ``at`` on ``day`` (29-31 fall on the last day of a shorter month).

    ``at`` (default 06:00) and ``until`` are times of day within 06:00-22:00. For the
    interval frequencies they are optional and bound a daily window (runs from ``at``
    every interval up to ``until``); without them an interval job runs round the
    clock. ``weekdays`` limits daily and interval jobs to those days too. No run is
    before ``start`` (a date in ``timezone``).
    """

    every: Frequency
    interval: int | None = None
    at: dt.time | None = None
    until: dt.time | None = None
    weekdays: tuple[Weekday, ...] = ()
    day: int | None = None
    start: dt.date | None = None
    timezone: str = attrs.field(default="UTC", validator=_zone)

    def __attrs_post_init__(self) -> None:
        self._check_interval()
        for name in ("at", "until"):
            value: dt.time | None = getattr(self, name)
            if value is not None and not EARLIEST <= value <= LATEST:
                raise InvalidValueError(
                    f"Schedule.{name}", f"must lie within 06:00-22:00, got {value.isoformat()}"
                )
        if self.every in _INTERVALS:
            if (self.at is None) != (self.until is None):
                raise InvalidValueError(
                    "Schedule.until", "an interval's window needs both at and until"
                )
            if self.at is not None and self.until is not None and self.until < self.at:
                raise InvalidValueError("Schedule.until", "must not be before at")
        elif self.until is not None:
            raise InvalidValueError(
                "Schedule.until", f"only for minutes or hourly, not {self.every}"
            )
        if self.every is Frequency.WEEKLY and not self.weekdays:
            raise InvalidValueError("Schedule.weekdays", "weekly needs at least one weekday")
        if self.every is Frequency.MONTHLY and self.weekdays:
            raise InvalidValueError("Schedule.weekdays", "not for monthly (it has a day)")
        if (self.every is Frequency.MONTHLY) != (self.day is not None):
            raise InvalidValueError(
                "Schedule.day", "monthly needs a day" if self.day is None else "only for monthly"
            )
        if self.day is not None and not 1 <= self.day <= 31:
            raise InvalidValueError("Schedule.day", f"must be 1-31, got {self.day}")

    def _check_interval(self) -> None:
        if self.every is Frequency.MINUTES:
            if self.interval is None or self.interval < MIN_INTERVAL_MINUTES:
                raise InvalidValueError(
                    "Schedule.interval",
                    f"every x minutes needs interval >= {MIN_INTERVAL_MINUTES}, "
                    f"got {self.interval}",
                )
        elif self.interval is not None:
            raise InvalidValueError("Schedule.interval", "only for every = 'minutes'")

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The time zone the times of day are in."""
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def step(self) -> dt.timedelta | None:
        """The elapsed time between two runs of an interval job; None for the others."""
        if self.every is Frequency.MINUTES:
            return dt.timedelta(minutes=self.interval or 0)
        if self.every is Frequency.HOURLY:
            return dt.timedelta(hours=1)
        return None

    def next_run(self, after: dt.datetime) -> dt.datetime:
        """The first run strictly after ``after`` (an aware datetime), in the schedule's zone."""
        if after.tzinfo is None:
            raise InvalidValueError("after", "must be an aware datetime (with a time zone)")
        step = self.step
        if step is not None and self.at is None:
            return self._next_round_the_clock(after, step)
        for day in self._days(after):
            for run in self._runs_on(day, step):
                if run > after:
                    return run
        raise AssertionError("a schedule's days never end")  # pragma: no cover

    def _next_round_the_clock(self, after: dt.datetime, step: dt.timedelta) -> dt.datetime:
        # Arithmetic in UTC: aware arithmetic within one zone is wall-clock arithmetic.
        anchor = self._local(self.start or dt.date(2000, 1, 3), dt.time(0, 0)).astimezone(dt.UTC)
        utc_step = step.total_seconds()
        elapsed = (after - anchor).total_seconds()
        count = max(0, int(elapsed // utc_step) + 1)
        while True:
            run = (anchor + dt.timedelta(seconds=count * utc_step)).astimezone(self.zone)
            if not self.weekdays or list(Weekday)[run.weekday()] in self.weekdays:
                return run
            count += 1

    def _days(self, after: dt.datetime) -> Iterator[dt.date]:
        first = after.astimezone(self.zone).date() - dt.timedelta(days=1)
        if self.start is not None:
            first = max(first, self.start)
        days = [day.number for day in self.weekdays] or None
        begin = dt.datetime.combine(first, dt.time(0, 0))
        if self.every is Frequency.MONTHLY:
            assert self.day is not None
            if self.day <= 28:
                rule = rrule.rrule(rrule.MONTHLY, dtstart=begin, bymonthday=self.day)
            else:  # the day itself, or the last day of a month that has no such day
                monthdays = tuple(range(28, self.day + 1))
                rule = rrule.rrule(rrule.MONTHLY, dtstart=begin, bymonthday=monthdays, bysetpos=-1)
        else:
            rule = rrule.rrule(rrule.DAILY, dtstart=begin, byweekday=days)
        for moment in rule:
            yield moment.date()

    def _runs_on(self, day: dt.date, step: dt.timedelta | None) -> Iterator[dt.datetime]:
        first = self._local(day, self.at or EARLIEST)
        if step is None:
            yield first
            return
        last = self._local(day, self.until or LATEST)
        run = first
        while run <= last:
            yield run.astimezone(self.zone)
            run = (run.astimezone(dt.UTC) + step).astimezone(self.zone)

    def _local(self, day: dt.date, time: dt.time) -> dt.datetime:
        """The instant of a wall-clock time; a time in spring's gap moves forward (as clocks do)."""
        naive = dt.datetime.combine(day, time)
        moment = naive.replace(tzinfo=self.zone)
        return moment.astimezone(dt.UTC).astimezone(self.zone)
