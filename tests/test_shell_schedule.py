"""Schedules: the seeds' options, and right across both daylight-saving changes."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paymatch.errors import InvalidValueError
from paymatch.shell.schedule import Frequency, Schedule, Weekday

BERLIN = "Europe/Berlin"
UTC = dt.UTC


def runs(schedule: Schedule, after: dt.datetime, count: int) -> list[dt.datetime]:
    found = []
    for _ in range(count):
        after = schedule.next_run(after)
        found.append(after)
    return found


def at_utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=UTC)


def test_daily_run_keeps_its_wall_clock_time_across_the_spring_change() -> None:
    daily = Schedule(every=Frequency.DAILY, at=dt.time(6, 30), timezone=BERLIN)
    found = runs(daily, at_utc(2026, 3, 27, 12), 3)
    assert [run.astimezone(UTC) for run in found] == [
        at_utc(2026, 3, 28, 5, 30),  # CET, UTC+1
        at_utc(2026, 3, 29, 4, 30),  # CEST from this night on, UTC+2
        at_utc(2026, 3, 30, 4, 30),
    ]
    assert {run.strftime("%H:%M") for run in found} == {"06:30"}


def test_daily_run_keeps_its_wall_clock_time_across_the_autumn_change() -> None:
    daily = Schedule(every=Frequency.DAILY, at=dt.time(21, 45), timezone=BERLIN)
    found = runs(daily, at_utc(2026, 10, 24, 12), 2)
    assert [run.astimezone(UTC) for run in found] == [
        at_utc(2026, 10, 24, 19, 45),
        at_utc(2026, 10, 25, 20, 45),
    ]


def test_hourly_runs_an_hour_apart_through_the_repeated_autumn_hour() -> None:
    hourly = Schedule(every=Frequency.HOURLY, timezone=BERLIN)
    found = runs(hourly, at_utc(2026, 10, 24, 23, 30), 4)
    assert [run.astimezone(UTC) for run in found] == [
        at_utc(2026, 10, 25, 0),
        at_utc(2026, 10, 25, 1),
        at_utc(2026, 10, 25, 2),
        at_utc(2026, 10, 25, 3),
    ]
    # 02:00 local comes twice: once in summer time, once in winter time
    assert [run.strftime("%H:%M %z") for run in found] == [
        "02:00 +0200",
        "02:00 +0100",
        "03:00 +0100",
        "04:00 +0100",
    ]


def test_hourly_runs_an_hour_apart_over_the_missing_spring_hour() -> None:
    hourly = Schedule(every=Frequency.HOURLY, timezone=BERLIN)
    found = runs(hourly, at_utc(2026, 3, 28, 23, 30), 3)
    assert [run.strftime("%H:%M %z") for run in found] == [
        "01:00 +0100",
        "03:00 +0200",  # 02:00 does not exist that night
        "04:00 +0200",
    ]
    assert found[1].astimezone(UTC) - found[0].astimezone(UTC) == dt.timedelta(hours=1)


def test_every_x_minutes_within_a_daily_window_on_chosen_weekdays() -> None:
    schedule = Schedule(
        every=Frequency.MINUTES,
        interval=90,
        at=dt.time(6, 0),
        until=dt.time(9, 0),
        weekdays=(Weekday.MON, Weekday.THU),
        timezone=BERLIN,
    )
    found = runs(schedule, at_utc(2026, 11, 24, 12), 4)  # a Tuesday
    assert [run.strftime("%a %H:%M") for run in found] == [
        "Thu 06:00",
        "Thu 07:30",
        "Thu 09:00",
        "Mon 06:00",
    ]


def test_weekly_and_monthly_with_the_last_day_of_short_months() -> None:
    weekly = Schedule(
        every=Frequency.WEEKLY, weekdays=(Weekday.FRI,), at=dt.time(7), timezone=BERLIN
    )
    assert [r.date().isoformat() for r in runs(weekly, at_utc(2026, 11, 24), 2)] == [
        "2026-11-27",
        "2026-12-04",
    ]
    monthly = Schedule(every=Frequency.MONTHLY, day=31, at=dt.time(7), timezone=BERLIN)
    assert [r.date().isoformat() for r in runs(monthly, at_utc(2026, 1, 1), 4)] == [
        "2026-01-31",
        "2026-02-28",
        "2026-03-31",
        "2026-04-30",
    ]


def test_no_run_before_the_start_date() -> None:
    daily = Schedule(
        every=Frequency.DAILY, at=dt.time(6), start=dt.date(2027, 1, 4), timezone=BERLIN
    )
    assert daily.next_run(at_utc(2026, 11, 24)).date() == dt.date(2027, 1, 4)
    every = Schedule(every=Frequency.MINUTES, interval=15, start=dt.date(2027, 1, 4))
    assert every.next_run(at_utc(2026, 11, 24)) == at_utc(2027, 1, 4, 0, 0)


@pytest.mark.parametrize(
    ("options", "field", "reason"),
    [
        ({"every": Frequency.MINUTES, "interval": 4}, "interval", "interval >= 5"),
        ({"every": Frequency.MINUTES}, "interval", "interval >= 5"),
        ({"every": Frequency.DAILY, "at": dt.time(5, 59)}, "at", "06:00-22:00"),
        ({"every": Frequency.DAILY, "at": dt.time(22, 1)}, "at", "06:00-22:00"),
        ({"every": Frequency.WEEKLY}, "weekdays", "weekday"),
        ({"every": Frequency.MONTHLY}, "day", "needs a day"),
        ({"every": Frequency.MONTHLY, "day": 32}, "day", "1-31"),
        ({"every": Frequency.DAILY, "interval": 10}, "interval", "only for"),
        ({"every": Frequency.HOURLY, "at": dt.time(8)}, "until", "both"),
        ({"every": Frequency.DAILY, "timezone": "Mars/Olympus"}, "timezone", "time zone"),
    ],
)
def test_schedules_the_seed_does_not_offer_are_refused(
    options: dict[str, object], field: str, reason: str
) -> None:
    with pytest.raises(InvalidValueError, match=reason) as refused:
        Schedule(**options)  # type: ignore[arg-type]
    assert refused.value.field == f"Schedule.{field}"


def test_a_naive_instant_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="aware"):
        Schedule(every=Frequency.HOURLY).next_run(dt.datetime(2026, 1, 1))


SCHEDULES = st.one_of(
    st.builds(
        Schedule,
        every=st.just(Frequency.MINUTES),
        interval=st.integers(5, 24 * 60),
        timezone=st.sampled_from([BERLIN, "UTC", "America/New_York"]),
    ),
    st.builds(
        Schedule,
        every=st.sampled_from([Frequency.DAILY, Frequency.WEEKLY]),
        at=st.times(dt.time(6), dt.time(22)).map(lambda t: t.replace(microsecond=0)),
        weekdays=st.lists(st.sampled_from(Weekday), min_size=1, max_size=7, unique=True).map(tuple),
        timezone=st.sampled_from([BERLIN, "UTC", "Australia/Sydney"]),
    ),
    st.builds(
        Schedule,
        every=st.just(Frequency.MONTHLY),
        day=st.integers(1, 31),
        timezone=st.sampled_from([BERLIN, "UTC"]),
    ),
)
INSTANTS = st.datetimes(dt.datetime(2025, 1, 1), dt.datetime(2030, 1, 1), timezones=st.just(UTC))


@given(SCHEDULES, INSTANTS, st.floats(0, 1))
def test_the_next_run_is_later_and_nothing_is_skipped_before_it(
    schedule: Schedule, after: dt.datetime, fraction: float
) -> None:
    run = schedule.next_run(after)
    assert run > after
    assert run - after <= dt.timedelta(days=62)
    # from any instant between, the next run is the same one: no run lies in between
    between = after + (run - after) * fraction
    if between < run:
        assert schedule.next_run(between) == run
