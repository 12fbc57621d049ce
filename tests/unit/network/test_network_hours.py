"""Opening hours and weekdays as librarians write them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wenjin.network.errors import InvalidHours, InvalidWeekday
from wenjin.network.rules import (
    Period,
    WeeklyHours,
    parse_day_hours,
    parse_weekdays,
    weekday_spec,
)


@pytest.mark.parametrize(
    ("spec", "days"),
    [
        ("mon", (1,)),
        ("Sunday", (7,)),
        (3, (3,)),
        ("7", (7,)),
        ("周一", (1,)),
        ("星期日", (7,)),
        ("周天", (7,)),
        ("tue-sun", (2, 3, 4, 5, 6, 7)),
        ("周一至周五", (1, 2, 3, 4, 5)),
        ("1-5", (1, 2, 3, 4, 5)),
        ("sat-mon", (1, 6, 7)),
        ("mon,thu", (1, 4)),
        (["tue", "fri"], (2, 5)),
        ("每天", (1, 2, 3, 4, 5, 6, 7)),
    ],
)
def test_weekdays_are_read_in_english_numbers_and_chinese(
    spec: object, days: tuple[int, ...]
) -> None:
    assert parse_weekdays(spec) == days


@pytest.mark.parametrize("spec", ["mo", 0, 8, "周八", "mon--fri", True, ""])
def test_an_unknown_weekday_is_refused_with_the_accepted_spellings(spec: object) -> None:
    with pytest.raises(InvalidWeekday) as error:
        parse_weekdays(spec)
    assert "周一" in error.value.message_zh
    assert "mon" in error.value.message_en


def test_weekday_sets_are_written_back_compactly() -> None:
    assert weekday_spec([1, 2, 3, 4, 5]) == "mon-fri"
    assert weekday_spec([6, 7]) == "sat-sun"
    assert weekday_spec([2, 4, 6]) == "tue,thu,sat"
    assert weekday_spec([1, 3, 4, 5, 7]) == "mon,wed-fri,sun"


@pytest.mark.parametrize("value", ["closed", "休息", "闭馆", None, False, "", ["closed"]])
def test_closed_can_be_written_several_ways(value: object) -> None:
    assert parse_day_hours(value) == ()


def test_several_periods_in_one_text_are_sorted() -> None:
    periods = parse_day_hours("14:00-17:30, 09:00-12:00")
    assert [str(p) for p in periods] == ["09:00-12:00", "14:00-17:30"]


def test_a_period_may_end_at_midnight() -> None:
    assert [str(p) for p in parse_day_hours("00:00-24:00")] == ["00:00-24:00"]
    assert parse_day_hours("24h") == parse_day_hours("00:00-24:00")


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("9-5", "开始-结束"),
        ("17:00-09:00", "跨午夜"),
        ("09:00-25:00", "00:00-24:00"),
        ("09:00-12:00,11:00-14:00", "重叠"),
        (900, "加引号"),
        ([540], "加引号"),
    ],
)
def test_bad_hours_say_what_is_wrong(value: object, why: str) -> None:
    with pytest.raises(InvalidHours) as error:
        parse_day_hours(value)
    assert why in error.value.message_zh


def test_weekly_hours_from_a_mapping_leave_unnamed_weekdays_closed() -> None:
    hours = WeeklyHours.parse({"tue-sat": "09:00-17:00"})
    assert hours.open_weekdays == (2, 3, 4, 5, 6)


def test_a_weekday_given_twice_is_an_error() -> None:
    with pytest.raises(InvalidHours, match="周六 写了两次"):
        WeeklyHours.parse({"mon-sat": "09:00-17:00", "周六": "09:00-12:00"})


def test_weekly_hours_read_the_compact_csv_form() -> None:
    hours = WeeklyHours.parse("mon:closed;tue-fri:09:00-17:00;sat-sun:09:00-12:00,14:00-17:30")
    assert hours == WeeklyHours.parse(
        {"mon": "closed", "2-5": "09:00-17:00", "周六-周日": ["09:00-12:00", "14:00-17:30"]}
    )


def test_weekly_hours_survive_every_written_form() -> None:
    hours = WeeklyHours.parse({"tue": "14:00-17:00", "thu": "14:00-17:00", "sat": "09:00-11:00"})
    assert WeeklyHours.parse(hours.to_file()) == hours
    assert WeeklyHours.parse(hours.to_compact()) == hours
    assert WeeklyHours.from_stored(hours.to_stored()) == hours
    assert hours.to_compact() == "mon,wed,fri,sun:closed;tue,thu:14:00-17:00;sat:09:00-11:00"


def test_a_compact_part_without_weekdays_is_an_error() -> None:
    with pytest.raises(InvalidHours, match="星期:时段"):
        WeeklyHours.parse("09:00-17:00")


def test_hours_are_described_in_chinese() -> None:
    hours = WeeklyHours.parse({"mon": "closed", "tue-sun": "09:00-17:00"})
    assert hours.describe_zh() == "周一 闭馆；周二至周日 09:00-17:00"


# Up to three periods in a day: sorted distinct minutes taken two by two never overlap.
periods_of_a_day = st.lists(st.integers(0, 24 * 60), unique=True, max_size=6).map(
    lambda minutes: tuple(
        Period(a, b) for a, b in zip(sorted(minutes)[::2], sorted(minutes)[1::2], strict=False)
    )
)


@given(st.lists(periods_of_a_day, min_size=7, max_size=7))
def test_any_weekly_hours_survive_the_file_and_csv_forms(days: list[tuple[Period, ...]]) -> None:
    hours = WeeklyHours(tuple(days))
    assert WeeklyHours.parse(hours.to_file()) == hours
    assert WeeklyHours.parse(hours.to_compact()) == hours
    assert WeeklyHours.from_stored(hours.to_stored()) == hours
