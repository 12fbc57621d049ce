"""The rules of the network, without a database: opening calendars, courier routing, kinds.

- :class:`WeeklyHours` is a point's weekly pattern: for each ISO weekday (1 Monday …
  7 Sunday) the periods it is open. A weekday without periods is closed every week
  (many Chinese libraries close all Monday, or Monday mornings).
- :class:`OpeningCalendar` is what a point observes: the weekly pattern plus its closed
  days (闭馆日: holidays, renovations), with inheritance already resolved. It is built
  once per point and answers ``is_open(day)`` in constant time, so that a checkout can
  compute a due date on a day the lending point is open.
- :class:`RouteMap` is the courier network (物流线路): directed legs with travel days;
  it gives the shortest route between two points, the travel days from one point to
  all others, and the nearest of several points (for "nearest copy" holds).
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from wenjin.network.errors import (
    InvalidClosedDays,
    InvalidHours,
    InvalidWeekday,
    NeverOpen,
)
from wenjin.network.states import PointKind

# ---------------------------------------------------------------------------
# Weekdays

WEEKDAYS = (1, 2, 3, 4, 5, 6, 7)
WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

_WEEKDAY_NAMES: dict[str, int] = {}
for _number, _key in enumerate(WEEKDAY_KEYS, start=1):
    _zh_digit = "一二三四五六日"[_number - 1]
    for _name in (
        _key,
        str(_number),
        f"周{_zh_digit}",
        f"星期{_zh_digit}",
        f"礼拜{_zh_digit}",
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")[_number - 1],
    ):
        _WEEKDAY_NAMES[_name] = _number
for _name in ("周天", "星期天", "礼拜天", "周七"):
    _WEEKDAY_NAMES[_name] = 7

_RANGE_SEPARATORS = re.compile(r"\s*(?:-|–|—|~|～|至|到)\s*")
_LIST_SEPARATORS = re.compile(r"\s*[,，、/]\s*")


def parse_weekday(value: object) -> int:
    """One weekday: ``mon``, ``Monday``, ``1`` (Monday) … ``7``, ``周一``, ``星期日``."""
    if isinstance(value, bool):
        raise InvalidWeekday(value)
    if isinstance(value, int):
        if value in WEEKDAYS:
            return value
        raise InvalidWeekday(value)
    if isinstance(value, str):
        number = _WEEKDAY_NAMES.get(value.strip().lower())
        if number is not None:
            return number
    raise InvalidWeekday(value)


def parse_weekdays(spec: object) -> tuple[int, ...]:
    """A set of weekdays, sorted: ``tue-sun``, ``mon,thu``, ``周一至周五``, ``[1, 4]``, ``6``.

    A range wraps around the week end: ``sat-mon`` is Saturday, Sunday and Monday.
    """
    if isinstance(spec, list | tuple | set | frozenset):
        parts: list[object] = list(spec)
    elif isinstance(spec, str):
        parts = [p for p in _LIST_SEPARATORS.split(spec.strip()) if p]
    else:
        parts = [spec]
    if not parts:
        raise InvalidWeekday(spec)
    days: set[int] = set()
    for part in parts:
        if isinstance(part, str) and part.strip().lower() in ("daily", "every day", "每天", "全周"):
            days.update(WEEKDAYS)
            continue
        pieces = _RANGE_SEPARATORS.split(part.strip()) if isinstance(part, str) else [part]
        if len(pieces) == 1:
            days.add(parse_weekday(pieces[0]))
        elif len(pieces) == 2 and all(pieces):
            first, last = parse_weekday(pieces[0]), parse_weekday(pieces[1])
            span = (last - first) % 7
            days.update((first - 1 + i) % 7 + 1 for i in range(span + 1))
        else:
            raise InvalidWeekday(part)
    return tuple(sorted(days))


def weekday_spec(days: Iterable[int]) -> str:
    """The compact English spelling of a set of weekdays: ``mon,wed-fri``."""
    chosen = sorted(set(days))
    runs: list[list[int]] = []
    for day in chosen:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    words = []
    for run in runs:
        if len(run) > 1:
            words.append(f"{WEEKDAY_KEYS[run[0] - 1]}-{WEEKDAY_KEYS[run[-1] - 1]}")
        else:
            words.append(WEEKDAY_KEYS[run[0] - 1])
    return ",".join(words)


# ---------------------------------------------------------------------------
# Opening hours

_PERIOD = re.compile(
    r"^(\d{1,2})\s*[:：]\s*(\d{2})\s*(?:-|–|—|~|～|至|到)\s*(\d{1,2})\s*[:：]\s*(\d{2})$"
)
_CLOSED_WORDS = frozenset(
    {"closed", "close", "休息", "闭馆", "休馆", "不开放", "none", "-", "—", ""}
)
_PERIOD_SEPARATORS = re.compile(r"\s*[,，、;；]\s*|\s+(?=\d)")


@dataclass(frozen=True, order=True)
class Period:
    """An opening period within one day, in minutes since midnight; ``end`` may be 24:00."""

    start: int
    end: int

    @classmethod
    def parse(cls, text: str) -> Period:
        match = _PERIOD.match(text.strip())
        if match is None:
            raise InvalidHours(
                text,
                "时段应写成 开始-结束，如 09:00-17:00",
                "write a period as start-end, e.g. 09:00-17:00",
            )
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2 != 0):
            raise InvalidHours(text, "时刻超出 00:00-24:00", "a time is outside 00:00-24:00")
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if end <= start:
            raise InvalidHours(
                text,
                "结束时间必须晚于开始时间；跨午夜的时段请拆成两段（如 20:00-24:00 和次日 00:00-02:00）",
                "the end must be after the start; split a period across midnight in two",
            )
        return cls(start, end)

    def contains(self, minute: int) -> bool:
        return self.start <= minute < self.end

    def __str__(self) -> str:
        return (
            f"{self.start // 60:02d}:{self.start % 60:02d}-{self.end // 60:02d}:{self.end % 60:02d}"
        )


ALL_DAY = (Period(0, 24 * 60),)


def parse_day_hours(value: object) -> tuple[Period, ...]:
    """One weekday's hours: ``closed``/``休息``/``None``, ``"09:00-17:00"``,
    ``"09:00-12:00,14:00-17:30"`` or a list of periods. Sorted; overlaps are refused."""
    if value is None or value is False:
        return ()
    if isinstance(value, str):
        text = value.strip()
        if text.lower() in _CLOSED_WORDS:
            return ()
        if text.lower() in ("24h", "24小时", "全天"):
            return ALL_DAY
        texts = [t for t in _PERIOD_SEPARATORS.split(text) if t]
    elif isinstance(value, list | tuple):
        texts = []
        for item in value:
            if not isinstance(item, str):
                raise InvalidHours(
                    value,
                    '时段必须是文字，如 "09:00-12:00"（请加引号）',
                    'each period must be text like "09:00-12:00" (quote it)',
                )
            texts.append(item)
        if len(texts) == 1 and texts[0].strip().lower() in _CLOSED_WORDS:
            return ()
    else:
        raise InvalidHours(
            value,
            "应为时段文字（请加引号）或 closed",
            "expected a period as text (quote it) or closed",
        )
    periods = sorted(Period.parse(t) for t in texts)
    for before, after in itertools.pairwise(periods):
        if after.start < before.end:
            raise InvalidHours(
                value, f"时段 {before} 与 {after} 重叠", f"periods {before} and {after} overlap"
            )
    return tuple(periods)


@dataclass(frozen=True)
class WeeklyHours:
    """Opening periods for each ISO weekday; ``days[0]`` is Monday."""

    days: tuple[tuple[Period, ...], ...]

    def __post_init__(self) -> None:
        if len(self.days) != 7:
            raise ValueError("WeeklyHours needs exactly seven weekdays")

    @classmethod
    def closed(cls) -> WeeklyHours:
        return cls(((),) * 7)

    @classmethod
    def every_day(cls, hours: object = ALL_DAY) -> WeeklyHours:
        periods = (
            hours
            if isinstance(hours, tuple) and all(isinstance(p, Period) for p in hours)
            else parse_day_hours(hours)
        )
        return cls((periods,) * 7)

    @classmethod
    def parse(cls, value: object) -> WeeklyHours:
        """Hours as a librarian writes them, in a file or in Python.

        A mapping from weekday specs to hours, e.g. ``{"mon": "closed", "tue-sun":
        "09:00-17:00"}`` or ``{"周六": ["09:00-12:00", "14:00-17:30"]}``; or the compact
        text of a CSV cell, ``"mon:closed;tue-sun:09:00-17:00"``. Weekdays not given
        are closed. A weekday given twice is an error.
        """
        if isinstance(value, WeeklyHours):
            return value
        if isinstance(value, str):
            value = _split_compact_hours(value)
        if not isinstance(value, Mapping):
            raise InvalidHours(
                value,
                '应按星期写，如 {mon: closed, tue-sun: "09:00-17:00"} 或 mon:closed;tue-sun:09:00-17:00',
                'give hours per weekday, e.g. {mon: closed, tue-sun: "09:00-17:00"} '
                "or mon:closed;tue-sun:09:00-17:00",
            )
        days: dict[int, tuple[Period, ...]] = {}
        for key, hours in value.items():
            periods = parse_day_hours(hours)
            for day in parse_weekdays(key):
                if day in days:
                    raise InvalidHours(
                        {key: hours},
                        f"{WEEKDAY_ZH[day - 1]} 写了两次",
                        f"{WEEKDAY_KEYS[day - 1]} is given twice",
                    )
                days[day] = periods
        return cls(tuple(days.get(day, ()) for day in WEEKDAYS))

    @classmethod
    def from_stored(cls, stored: Mapping[str, Any]) -> WeeklyHours:
        """From ``ServicePoint.opening_hours`` (``{"1": ["09:00-17:00"], …}``)."""
        return cls(
            tuple(tuple(Period.parse(p) for p in stored.get(str(day)) or ()) for day in WEEKDAYS)
        )

    def to_stored(self) -> dict[str, list[str]]:
        return {str(day): [str(p) for p in self.on(day)] for day in WEEKDAYS}

    def on(self, weekday: int) -> tuple[Period, ...]:
        return self.days[weekday - 1]

    @property
    def open_weekdays(self) -> tuple[int, ...]:
        return tuple(day for day in WEEKDAYS if self.on(day))

    def grouped(self) -> list[tuple[tuple[int, ...], tuple[Period, ...]]]:
        """Runs of consecutive weekdays with the same hours, Monday first."""
        groups: list[tuple[list[int], tuple[Period, ...]]] = []
        for day in WEEKDAYS:
            periods = self.on(day)
            if groups and groups[-1][1] == periods:
                groups[-1][0].append(day)
            else:
                groups.append(([day], periods))
        return [(tuple(days), periods) for days, periods in groups]

    def by_hours(self) -> list[tuple[tuple[int, ...], tuple[Period, ...]]]:
        """Weekdays that share the same hours, in order of their first weekday."""
        groups: dict[tuple[Period, ...], list[int]] = {}
        for day in WEEKDAYS:
            groups.setdefault(self.on(day), []).append(day)
        return [(tuple(days), periods) for periods, days in groups.items()]

    def to_file(self) -> dict[str, str | list[str]]:
        """The YAML form: ``{"mon": "closed", "tue-sun": "09:00-17:00"}``."""
        out: dict[str, str | list[str]] = {}
        for days, periods in self.by_hours():
            key = weekday_spec(days)
            if not periods:
                out[key] = "closed"
            elif len(periods) == 1:
                out[key] = str(periods[0])
            else:
                out[key] = [str(p) for p in periods]
        return out

    def to_compact(self) -> str:
        """The CSV form: ``mon:closed;tue-sun:09:00-17:00``."""
        parts = []
        for days, periods in self.by_hours():
            text = ",".join(str(p) for p in periods) if periods else "closed"
            parts.append(f"{weekday_spec(days)}:{text}")
        return ";".join(parts)

    def describe_zh(self) -> str:
        parts = []
        for days, periods in self.grouped():
            label = (
                WEEKDAY_ZH[days[0] - 1]
                if len(days) == 1
                else f"{WEEKDAY_ZH[days[0] - 1]}至{WEEKDAY_ZH[days[-1] - 1]}"
            )
            parts.append(f"{label} {'、'.join(str(p) for p in periods) if periods else '闭馆'}")
        return "；".join(parts)


def _names_weekdays(text: str) -> bool:
    try:
        parse_weekdays(text)
    except InvalidWeekday:
        return False
    return True


def _split_compact_hours(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in (p.strip() for p in re.split(r"[;；]", text)):
        if not part:
            continue
        pieces = re.split(r"\s*[:：]\s*", part, maxsplit=1)
        if len(pieces) != 2 or not _names_weekdays(pieces[0]):
            raise InvalidHours(
                part,
                "每段应写成 星期:时段，如 tue-sun:09:00-17:00",
                "write each part as weekdays:hours, e.g. tue-sun:09:00-17:00",
            )
        key, hours = pieces
        if key in out:
            raise InvalidHours(text, f"{key} 写了两次", f"{key} is given twice")
        out[key] = hours
    if not out:
        raise InvalidHours(text, "没有写任何星期", "no weekday is given")
    return out


# ---------------------------------------------------------------------------
# Closed days

MAX_CLOSED_SPAN_DAYS = 731


@dataclass(frozen=True)
class ClosedSpan:
    """Consecutive closed days with one reason: ``ClosedSpan(date(2026, 2, 15), date(2026, 2, 23), "春节")``."""

    start: date
    end: date | None = None
    reason: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.start, date) or isinstance(self.start, datetime):
            raise InvalidClosedDays(
                self.start,
                "开始日期必须是日期，如 2026-02-15",
                "the start must be a date like 2026-02-15",
            )
        if self.end is not None:
            if not isinstance(self.end, date) or isinstance(self.end, datetime):
                raise InvalidClosedDays(
                    self.end,
                    "结束日期必须是日期，如 2026-02-23",
                    "the end must be a date like 2026-02-23",
                )
            if self.end < self.start:
                raise InvalidClosedDays(
                    f"{self.start}–{self.end}",
                    "结束日期早于开始日期",
                    "the end is before the start",
                )
            if (self.end - self.start).days >= MAX_CLOSED_SPAN_DAYS:
                raise InvalidClosedDays(
                    f"{self.start}–{self.end}",
                    f"一次最多 {MAX_CLOSED_SPAN_DAYS} 天；长期停用请停用该服务点",
                    f"at most {MAX_CLOSED_SPAN_DAYS} days at once; deactivate a point closed for longer",
                )
        if self.reason is not None and len(self.reason) > 200:
            raise InvalidClosedDays(
                self.reason[:20] + "…",
                "原因最多 200 字",
                "the reason is longer than 200 characters",
            )

    @property
    def last(self) -> date:
        return self.end or self.start

    def days(self) -> Iterator[date]:
        day = self.start
        while day <= self.last:
            yield day
            day += timedelta(days=1)


def collapse_closed_days(days: Mapping[date, str | None]) -> list[ClosedSpan]:
    """Group consecutive dates with the same reason into spans (for files and display)."""
    spans: list[ClosedSpan] = []
    for day in sorted(days):
        reason = days[day] or None
        if spans and spans[-1].last + timedelta(days=1) == day and spans[-1].reason == reason:
            spans[-1] = ClosedSpan(spans[-1].start, day, reason)
        else:
            spans.append(ClosedSpan(day, None, reason))
    return spans


# 国务院办公厅 holiday notices: the days the country has off (调休 working weekends are
# not listed; a library decides itself whether it opens on a holiday). Libraries often
# stay open over holidays, so nothing applies these automatically.
PUBLIC_HOLIDAYS: Mapping[int, tuple[ClosedSpan, ...]] = MappingProxyType(
    {
        2020: (
            ClosedSpan(date(2020, 1, 1), None, "元旦"),
            ClosedSpan(date(2020, 1, 24), date(2020, 1, 30), "春节"),
            ClosedSpan(date(2020, 4, 4), date(2020, 4, 6), "清明节"),
            ClosedSpan(date(2020, 5, 1), date(2020, 5, 5), "劳动节"),
            ClosedSpan(date(2020, 6, 25), date(2020, 6, 27), "端午节"),
            ClosedSpan(date(2020, 10, 1), date(2020, 10, 8), "国庆节、中秋节"),
        ),
        2025: (
            ClosedSpan(date(2025, 1, 1), None, "元旦"),
            ClosedSpan(date(2025, 1, 28), date(2025, 2, 4), "春节"),
            ClosedSpan(date(2025, 4, 4), date(2025, 4, 6), "清明节"),
            ClosedSpan(date(2025, 5, 1), date(2025, 5, 5), "劳动节"),
            ClosedSpan(date(2025, 5, 31), date(2025, 6, 2), "端午节"),
            ClosedSpan(date(2025, 10, 1), date(2025, 10, 8), "国庆节、中秋节"),
        ),
        2026: (
            ClosedSpan(date(2026, 1, 1), date(2026, 1, 3), "元旦"),
            ClosedSpan(date(2026, 2, 15), date(2026, 2, 23), "春节"),
            ClosedSpan(date(2026, 4, 4), date(2026, 4, 6), "清明节"),
            ClosedSpan(date(2026, 5, 1), date(2026, 5, 5), "劳动节"),
            ClosedSpan(date(2026, 6, 19), date(2026, 6, 21), "端午节"),
            ClosedSpan(date(2026, 9, 25), date(2026, 9, 27), "中秋节"),
            ClosedSpan(date(2026, 10, 1), date(2026, 10, 7), "国庆节"),
        ),
    }
)


def public_holidays(year: int) -> tuple[ClosedSpan, ...]:
    """The national public holidays of ``year`` (years Wenjin knows: see ``PUBLIC_HOLIDAYS``)."""
    try:
        return PUBLIC_HOLIDAYS[year]
    except KeyError:
        known = "、".join(str(y) for y in sorted(PUBLIC_HOLIDAYS))
        raise InvalidClosedDays(
            year,
            f"没有 {year} 年的法定节假日表（已有 {known}），请在网络文件的 closed 中逐条填写",
            f"no public holiday list for {year} (known: {known}); list the days under `closed`",
        ) from None


# ---------------------------------------------------------------------------
# The calendar a point observes


@dataclass(frozen=True)
class DayStatus:
    """One day at one point, for calendars on screen."""

    day: date
    is_open: bool
    hours: tuple[Period, ...]
    reason: str | None  # the closed day's recorded reason ("春节"), "" if none was given
    closed_weekly: bool  # closed because the point never opens on this weekday

    @property
    def label_zh(self) -> str:
        if self.is_open:
            return "、".join(str(p) for p in self.hours)
        if self.reason:
            return f"闭馆（{self.reason}）"
        if self.reason == "":
            return "闭馆"
        return "每周闭馆日"

    @property
    def label_en(self) -> str:
        if self.is_open:
            return ", ".join(str(p) for p in self.hours)
        if self.reason:
            return f"closed ({self.reason})"
        if self.reason == "":
            return "closed"
        return "closed every week"


@dataclass(frozen=True, eq=False)
class OpeningCalendar:
    """What a point observes: its weekly hours and its closed days, inheritance resolved.

    ``closed`` maps each closed date to its reason ("" when none was recorded).
    ``hours_configured`` is False when neither the point nor any ancestor has hours:
    such a point counts as open every day (00:00-24:00) so that due dates work
    before a librarian enters the hours.
    """

    weekly: WeeklyHours
    closed: Mapping[date, str] = field(default_factory=dict)
    hours_configured: bool = True
    _open_weekdays: frozenset[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "closed", MappingProxyType(dict(self.closed)))
        object.__setattr__(self, "_open_weekdays", frozenset(self.weekly.open_weekdays))

    @classmethod
    def always_open(cls) -> OpeningCalendar:
        return cls(WeeklyHours.every_day(), {}, hours_configured=False)

    def is_open(self, day: date) -> bool:
        return day.isoweekday() in self._open_weekdays and day not in self.closed

    def hours_on(self, day: date) -> tuple[Period, ...]:
        """The periods the point is open on ``day``; empty when it is closed."""
        if day in self.closed:
            return ()
        return self.weekly.on(day.isoweekday())

    def is_open_at(self, moment: datetime) -> bool:
        """Whether the point is open at ``moment``, a wall-clock time in the network's zone."""
        minute = moment.hour * 60 + moment.minute
        return any(p.contains(minute) for p in self.hours_on(moment.date()))

    def status(self, day: date) -> DayStatus:
        hours = self.hours_on(day)
        reason = self.closed.get(day)
        return DayStatus(
            day=day,
            is_open=bool(hours),
            hours=hours,
            reason=reason,
            closed_weekly=not self.weekly.on(day.isoweekday()),
        )

    def days(self, start: date, count: int) -> Iterator[DayStatus]:
        for offset in range(count):
            yield self.status(start + timedelta(days=offset))

    def next_open_day(self, day: date) -> date:
        """``day`` itself if the point is open then, else the first open day after it."""
        if not self._open_weekdays:
            raise NeverOpen(day)
        # Closed dates are finite, so an open day comes within len(closed) + 7 days.
        for _ in range(len(self.closed) + 8):
            if self.is_open(day):
                return day
            day += timedelta(days=1)
        raise NeverOpen(day)  # unreachable: kept so that a bug cannot loop forever

    def add_open_days(self, start: date, count: int) -> date:
        """The ``count``-th open day after ``start`` (``count=0``: the next open day from ``start``)."""
        if count < 0:
            raise ValueError("count must not be negative")
        day = self.next_open_day(start) if count == 0 else start
        for _ in range(count):
            day = self.next_open_day(day + timedelta(days=1))
        return day

    def due_date(self, start: date, loan_days: int) -> date:
        """``loan_days`` calendar days after ``start``, moved forward to an open day."""
        return self.next_open_day(start + timedelta(days=loan_days))


@dataclass(frozen=True)
class CalendarLevel:
    """One point on the way from a point up to the root, as calendar inheritance sees it.

    ``hours`` is the point's own weekly hours (``None``: keeps its parent's), either
    as :class:`WeeklyHours` or as stored in ``ServicePoint.opening_hours``.
    """

    hours: WeeklyHours | Mapping[str, Any] | None
    inherit_closed_days: bool = True
    closed: Mapping[date, str | None] = field(default_factory=dict)


def inherited_calendar(chain: Sequence[CalendarLevel]) -> OpeningCalendar:
    """The calendar of ``chain[0]``, given the point and its ancestors (parent next, root last).

    Hours: the point's own, else the nearest ancestor's that has some; none anywhere
    means open every day with ``hours_configured`` False. Closed days: the point's
    own plus, going up while each level has ``inherit_closed_days`` set, its
    ancestors'; a date closed at several levels keeps the nearest level's reason.
    """
    hours = next((level.hours for level in chain if level.hours is not None), None)
    observed: list[CalendarLevel] = []
    for level in chain:
        observed.append(level)
        if not level.inherit_closed_days:
            break
    closed: dict[date, str] = {}
    for level in reversed(observed):
        closed.update((day, reason or "") for day, reason in level.closed.items())
    if hours is None:
        return OpeningCalendar(WeeklyHours.every_day(), closed, hours_configured=False)
    if not isinstance(hours, WeeklyHours):
        hours = WeeklyHours.from_stored(hours)
    return OpeningCalendar(hours, closed)


# ---------------------------------------------------------------------------
# Courier routes

N = TypeVar("N", bound=Hashable)


@dataclass(frozen=True)
class Leg(Generic[N]):
    """A directed courier leg. ``weekdays``: ISO weekdays it leaves (``None``: every day)."""

    source: N
    target: N
    days: int
    weekdays: frozenset[int] | None = None


@dataclass(frozen=True)
class Route(Generic[N]):
    """A way from one point to another: total travel days and the points passed, ends included."""

    days: int
    path: tuple[N, ...]


class RouteMap(Generic[N]):
    """The courier network as a graph; shortest routes by travel days, fewer legs on a tie."""

    def __init__(self, legs: Iterable[Leg[N]]) -> None:
        self._legs: dict[N, dict[N, Leg[N]]] = {}
        for leg in legs:
            if leg.days < 0:
                raise ValueError(f"a courier leg cannot take {leg.days} days")
            out = self._legs.setdefault(leg.source, {})
            known = out.get(leg.target)
            if known is None or leg.days < known.days:
                out[leg.target] = leg

    def legs_from(self, node: N) -> list[Leg[N]]:
        return list(self._legs.get(node, {}).values())

    def _search(self, source: N, target: N | None) -> tuple[dict[N, int], dict[N, N]]:
        best: dict[N, tuple[int, int]] = {source: (0, 0)}
        previous: dict[N, N] = {}
        done: dict[N, int] = {}
        counter = itertools.count()
        queue: list[tuple[int, int, int, N]] = [(0, 0, next(counter), source)]
        while queue:
            days, hops, _, node = heapq.heappop(queue)
            if node in done:
                continue
            done[node] = days
            if node == target:
                break
            for leg in self._legs.get(node, {}).values():
                candidate = (days + leg.days, hops + 1)
                if leg.target not in done and candidate < best.get(leg.target, (1 << 62, 0)):
                    best[leg.target] = candidate
                    previous[leg.target] = node
                    heapq.heappush(queue, (*candidate, next(counter), leg.target))
        return done, previous

    def shortest(self, source: N, target: N) -> Route[N] | None:
        """The quickest route, or ``None`` when no chain of legs joins the two points."""
        done, previous = self._search(source, target)
        if target not in done:
            return None
        path = [target]
        while path[-1] != source:
            path.append(previous[path[-1]])
        return Route(done[target], tuple(reversed(path)))

    def travel_days(self, source: N, target: N) -> int | None:
        route = self.shortest(source, target)
        return None if route is None else route.days

    def distances_from(self, source: N) -> dict[N, int]:
        """Travel days from ``source`` to every reachable point (itself at 0)."""
        return self._search(source, None)[0]

    def nearest(self, source: N, candidates: Iterable[N]) -> tuple[N, int] | None:
        """The candidate quickest to reach from ``source`` (the first given wins a tie)."""
        distances = self.distances_from(source)
        best: tuple[N, int] | None = None
        for candidate in candidates:
            days = distances.get(candidate)
            if days is not None and (best is None or days < best[1]):
                best = (candidate, days)
        return best

    def earliest_arrival(self, source: N, target: N, depart: date) -> tuple[date, Route[N]] | None:
        """When something handed over at ``source`` on ``depart`` reaches ``target``.

        Each leg waits for the next weekday its courier leaves (it may leave the day
        the item arrives). Waiting never lets a later start arrive earlier, so a
        Dijkstra search on arrival dates finds the earliest arrival.
        """
        best: dict[N, date] = {source: depart}
        previous: dict[N, N] = {}
        done: set[N] = set()
        counter = itertools.count()
        queue: list[tuple[date, int, N]] = [(depart, next(counter), source)]
        while queue:
            day, _, node = heapq.heappop(queue)
            if node in done:
                continue
            done.add(node)
            if node == target:
                break
            for leg in self._legs.get(node, {}).values():
                leave = day
                if leg.weekdays:
                    while leave.isoweekday() not in leg.weekdays:
                        leave += timedelta(days=1)
                arrive = leave + timedelta(days=leg.days)
                if leg.target not in done and arrive < best.get(leg.target, date.max):
                    best[leg.target] = arrive
                    previous[leg.target] = node
                    heapq.heappush(queue, (arrive, next(counter), leg.target))
        if target not in done:
            return None
        path = [target]
        while path[-1] != source:
            path.append(previous[path[-1]])
        return best[target], Route((best[target] - depart).days, tuple(reversed(path)))


# ---------------------------------------------------------------------------
# Kinds and codes

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")

# Kinds that are not a place a reader borrows from: the network root is the
# organisation (诸城市图书馆总分馆) that the central library and branches belong to.
KINDS_THAT_MAY_NOT_LEND = frozenset({PointKind.NETWORK})
KINDS_THAT_MUST_BE_ROOT = frozenset({PointKind.NETWORK})
KINDS_THAT_NEED_A_PARENT = frozenset({PointKind.BUILDING})


def default_lends(kind: PointKind) -> bool:
    return kind not in KINDS_THAT_MAY_NOT_LEND


def code_problem(code: object) -> tuple[str, str] | None:
    """Why ``code`` cannot be a service point code, in Chinese and English; ``None`` if it can."""
    if not isinstance(code, str) or not code.strip():
        return ("缺少代码 code", "the code is missing")
    if not _CODE.match(code):
        return (
            f"代码 {code!r} 只能用字母、数字和 - _ .，以字母或数字开头，最长 32 个字符",
            f"code {code!r} may hold only letters, digits, '-', '_' and '.', start with a "
            "letter or digit, and be at most 32 characters",
        )
    return None


def kind_problems(
    kind: PointKind, *, has_parent: bool, lends: bool, pickup: bool
) -> list[tuple[str, str]]:
    """What a point of ``kind`` may not be, as (Chinese, English) sentences."""
    problems: list[tuple[str, str]] = []
    label = f"{kind.label_zh}（{kind.value}）"
    if kind in KINDS_THAT_MAY_NOT_LEND and lends:
        problems.append(
            (
                f"{label}不能外借，请设 lends: false",
                f"a {kind.value} point cannot lend; set lends: false",
            )
        )
    if kind in KINDS_THAT_MAY_NOT_LEND and pickup:
        problems.append(
            (
                f"{label}不能作为预约取书点，请设 pickup: false",
                f"a {kind.value} point cannot be a hold pickup point; set pickup: false",
            )
        )
    if kind in KINDS_THAT_MUST_BE_ROOT and has_parent:
        problems.append(
            (
                f"{label}只能是最顶层，不能有上级",
                f"a {kind.value} point is the root and cannot have a parent",
            )
        )
    if kind in KINDS_THAT_NEED_A_PARENT and not has_parent:
        problems.append(
            (
                f"{label}必须属于某个图书馆，请填写上级 parent",
                f"a {kind.value} belongs to a library; give its parent",
            )
        )
    return problems


def parse_kind(value: object) -> PointKind:
    """A kind by its code (``branch``) or its Chinese label (``镇图书馆``)."""
    if isinstance(value, PointKind):
        return value
    if isinstance(value, str):
        text = value.strip()
        for kind in PointKind:
            if (
                text.lower() == kind.value
                or text == kind.label_zh
                or text.lower() == kind.label_en.lower()
            ):
                return kind
    raise ValueError(value)


def kind_choices() -> str:
    return ", ".join(f"{k.value} ({k.label_zh})" for k in PointKind)


def find_cycle(parents: Mapping[str, str | None]) -> list[str] | None:
    """A chain of codes that loops through parent links, or ``None`` if the tree is sound."""
    state: dict[str, int] = {}  # 1 visiting, 2 done
    for start in sorted(parents):
        chain: list[str] = []
        node: str | None = start
        while node is not None and node in parents and state.get(node) != 2:
            if state.get(node) == 1:
                return [*chain[chain.index(node) :], node]
            state[node] = 1
            chain.append(node)
            node = parents[node]
        for visited in chain:
            state[visited] = 2
    return None


def tree_order(parents: Mapping[N, N | None], sort_key: Mapping[N, Any]) -> list[tuple[N, int]]:
    """Depth-first pre-order of a forest, siblings by ``sort_key``: ``(node, depth)`` pairs."""
    children: dict[N | None, list[N]] = {}
    for node, parent in parents.items():
        children.setdefault(parent if parent in parents else None, []).append(node)
    for siblings in children.values():
        siblings.sort(key=lambda n: sort_key[n])
    out: list[tuple[N, int]] = []
    stack: list[tuple[N, int]] = [(n, 0) for n in reversed(children.get(None, []))]
    seen: set[N] = set()
    while stack:
        node, depth = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        out.append((node, depth))
        stack.extend((c, depth + 1) for c in reversed(children.get(node, [])))
    return out
