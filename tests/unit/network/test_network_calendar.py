"""Opening calendars: weekly hours, closed days, due dates that land on an open day."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from wenjin.network.errors import InvalidClosedDays, NeverOpen
from wenjin.network.rules import (
    CalendarLevel,
    ClosedSpan,
    OpeningCalendar,
    Period,
    WeeklyHours,
    collapse_closed_days,
    inherited_calendar,
    public_holidays,
)

BRANCH_HOURS = WeeklyHours.parse({"mon": "closed", "tue-sun": "09:00-17:00"})
SPRING_FESTIVAL_2026 = ClosedSpan(date(2026, 2, 15), date(2026, 2, 23), "春节")


def closed(*spans: ClosedSpan) -> dict[date, str]:
    return {day: span.reason or "" for span in spans for day in span.days()}


def test_a_branch_closed_on_mondays_is_shut_every_monday() -> None:
    calendar = OpeningCalendar(BRANCH_HOURS)
    assert not calendar.is_open(date(2026, 3, 2))  # Monday
    assert calendar.is_open(date(2026, 3, 3))
    assert calendar.hours_on(date(2026, 3, 2)) == ()
    assert [str(p) for p in calendar.hours_on(date(2026, 3, 3))] == ["09:00-17:00"]


def test_a_loan_due_on_a_closed_monday_is_due_on_tuesday() -> None:
    calendar = OpeningCalendar(BRANCH_HOURS)
    # 28 days after Monday 2026-03-02 is Monday 2026-03-30: the branch is closed.
    assert calendar.due_date(date(2026, 3, 2), 28) == date(2026, 3, 31)


def test_the_spring_festival_closure_moves_the_due_date_past_the_holiday() -> None:
    calendar = OpeningCalendar(BRANCH_HOURS, closed(SPRING_FESTIVAL_2026))
    due = calendar.due_date(date(2026, 1, 20), 30)  # 2026-02-19, 初三
    assert due == date(2026, 2, 24)
    assert calendar.status(date(2026, 2, 19)).label_zh == "闭馆（春节）"


def test_the_next_open_day_of_an_open_day_is_that_day() -> None:
    calendar = OpeningCalendar(BRANCH_HOURS)
    assert calendar.next_open_day(date(2026, 3, 4)) == date(2026, 3, 4)


def test_adding_open_days_skips_closed_weekdays_and_holidays() -> None:
    calendar = OpeningCalendar(BRANCH_HOURS, closed(ClosedSpan(date(2026, 3, 5), None, "停电")))
    # From Saturday 2026-02-28: Sun 1st, (Mon 2nd closed), Tue 3rd, Wed 4th, (Thu 5th closed), Fri 6th.
    assert calendar.add_open_days(date(2026, 2, 28), 4) == date(2026, 3, 6)
    assert calendar.add_open_days(date(2026, 3, 2), 0) == date(2026, 3, 3)


def test_a_point_closed_every_day_raises_instead_of_looping() -> None:
    calendar = OpeningCalendar(WeeklyHours.closed())
    with pytest.raises(NeverOpen) as error:
        calendar.next_open_day(date(2026, 1, 1))
    assert "设置开放时间" in error.value.message_zh
    with pytest.raises(NeverOpen):
        calendar.due_date(date(2026, 1, 1), 14)


def test_a_long_renovation_is_skipped_in_one_call() -> None:
    renovation = ClosedSpan(date(2026, 1, 1), date(2026, 12, 31), "改造")
    calendar = OpeningCalendar(WeeklyHours.every_day(), closed(renovation))
    assert calendar.next_open_day(date(2026, 3, 1)) == date(2027, 1, 1)


def test_monday_mornings_closed_means_open_on_monday_afternoon() -> None:
    hours = WeeklyHours.parse({"mon": "14:00-20:30", "tue-sun": "09:00-20:30"})
    calendar = OpeningCalendar(hours)
    assert calendar.is_open(date(2026, 3, 2))
    assert not calendar.is_open_at(datetime(2026, 3, 2, 10, 0))
    assert calendar.is_open_at(datetime(2026, 3, 2, 15, 0))
    assert not calendar.is_open_at(datetime(2026, 3, 2, 20, 30))


def test_a_day_with_a_lunch_break_is_open_in_two_periods() -> None:
    hours = WeeklyHours.parse({"mon-fri": ["07:30-11:30", "13:30-17:00"]})
    calendar = OpeningCalendar(hours)
    assert calendar.hours_on(date(2026, 3, 3)) == (Period(450, 690), Period(810, 1020))
    assert not calendar.is_open_at(datetime(2026, 3, 3, 12, 0))
    assert not calendar.is_open(date(2026, 3, 7))  # Saturday: not given, so closed


def test_a_calendar_without_configured_hours_is_open_every_day() -> None:
    calendar = OpeningCalendar.always_open()
    assert not calendar.hours_configured
    assert calendar.is_open(date(2026, 3, 2))
    assert calendar.due_date(date(2026, 3, 2), 28) == date(2026, 3, 30)


def test_day_statuses_say_why_a_day_is_closed() -> None:
    calendar = OpeningCalendar(BRANCH_HOURS, {date(2026, 3, 4): "", date(2026, 3, 5): "盘点"})
    labels = [s.label_zh for s in calendar.days(date(2026, 3, 2), 4)]
    assert labels == ["每周闭馆日", "09:00-17:00", "闭馆", "闭馆（盘点）"]
    assert calendar.status(date(2026, 3, 2)).closed_weekly


def test_consecutive_closed_days_with_one_reason_collapse_into_a_span() -> None:
    days = closed(SPRING_FESTIVAL_2026) | {date(2026, 1, 1): "元旦", date(2026, 1, 2): ""}
    spans = collapse_closed_days(days)
    assert spans == [
        ClosedSpan(date(2026, 1, 1), None, "元旦"),
        ClosedSpan(date(2026, 1, 2), None, None),
        SPRING_FESTIVAL_2026,
    ]


def test_a_closed_span_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(InvalidClosedDays, match="结束日期早于开始日期"):
        ClosedSpan(date(2026, 2, 23), date(2026, 2, 15))


def test_a_closed_span_of_years_is_refused_with_a_hint() -> None:
    with pytest.raises(InvalidClosedDays, match="停用"):
        ClosedSpan(date(2026, 1, 1), date(2030, 1, 1))


def test_the_2026_public_holidays_include_the_nine_day_spring_festival() -> None:
    holidays = public_holidays(2026)
    spring = next(span for span in holidays if span.reason == "春节")
    assert len(list(spring.days())) == 9
    assert sum(len(list(span.days())) for span in holidays) == 33


def test_an_unknown_holiday_year_names_the_years_known() -> None:
    with pytest.raises(InvalidClosedDays, match="2026"):
        public_holidays(1999)


NETWORK = CalendarLevel(
    {"1": ["14:00-20:30"], **{str(d): ["09:00-20:30"] for d in range(2, 8)}},
    closed=closed(SPRING_FESTIVAL_2026) | {date(2026, 5, 1): "劳动节"},
)


def test_a_point_without_hours_keeps_its_parents_hours_and_holidays() -> None:
    building = CalendarLevel(None)
    calendar = inherited_calendar([building, CalendarLevel(None), NETWORK])
    assert [str(p) for p in calendar.hours_on(date(2026, 3, 2))] == ["14:00-20:30"]
    assert calendar.closed[date(2026, 2, 17)] == "春节"


def test_a_point_with_its_own_hours_adds_its_own_closed_days_to_the_inherited_ones() -> None:
    school = CalendarLevel(
        WeeklyHours.parse({"mon-fri": "08:00-17:00"}),
        closed=closed(ClosedSpan(date(2026, 7, 11), date(2026, 8, 31), "暑假")),
    )
    calendar = inherited_calendar([school, NETWORK])
    assert not calendar.is_open(date(2026, 3, 7))  # Saturday: the school's own hours
    assert calendar.closed[date(2026, 8, 1)] == "暑假"
    assert calendar.closed[date(2026, 5, 1)] == "劳动节"


def test_the_nearest_level_gives_the_reason_for_a_day_closed_at_two_levels() -> None:
    branch = CalendarLevel(None, closed={date(2026, 5, 1): "馆内活动"})
    assert inherited_calendar([branch, NETWORK]).closed[date(2026, 5, 1)] == "馆内活动"


def test_a_point_that_does_not_inherit_closed_days_stays_open_on_holidays() -> None:
    kiosk = CalendarLevel(WeeklyHours.every_day(), inherit_closed_days=False)
    assert inherited_calendar([kiosk, NETWORK]).is_open(date(2026, 2, 17))


def test_inheritance_stops_at_the_first_level_that_does_not_inherit() -> None:
    central = CalendarLevel(None, inherit_closed_days=False, closed={date(2026, 3, 3): "停电"})
    calendar = inherited_calendar([CalendarLevel(None), central, NETWORK])
    assert calendar.closed == {date(2026, 3, 3): "停电"}
    assert calendar.hours_configured  # hours still come from the network


def test_a_tree_without_any_hours_is_open_every_day() -> None:
    calendar = inherited_calendar([CalendarLevel(None), CalendarLevel(None)])
    assert not calendar.hours_configured
    assert calendar.is_open(date(2026, 3, 2))
