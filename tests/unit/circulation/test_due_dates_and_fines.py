"""Due dates land on open days; fines count open days late; caps and limits."""

from __future__ import annotations

from datetime import date

import pytest

from wenjin.circulation.rules import (
    LoanCounts,
    PolicyRule,
    due_date_for,
    fine_cap_fen,
    is_overdue,
    open_days_late,
    over_total_limit,
    over_type_limit,
    renewals_left,
    renewed_due_date,
)
from wenjin.network.rules import OpeningCalendar, WeeklyHours

HOURS = ["09:00-17:00"]
# Closed every Monday, and over 清明 2026 (4–6 April).
CLOSED_MONDAYS = OpeningCalendar(
    WeeklyHours.from_stored({str(d): HOURS for d in range(2, 8)}),
    {date(2026, 4, d): "清明节" for d in (4, 5, 6)},
)


def test_a_due_date_on_an_open_day_stays_where_it_is() -> None:
    # 2026-03-03 is a Tuesday; 30 days later is Thursday 2 April.
    assert due_date_for(CLOSED_MONDAYS, date(2026, 3, 3), 30) == date(2026, 4, 2)


def test_a_due_date_on_a_closed_day_moves_to_the_next_open_day() -> None:
    # Saturday 7 March + 30 = Monday 6 April: 清明 and a Monday; Tuesday 7 April is open.
    assert due_date_for(CLOSED_MONDAYS, date(2026, 3, 7), 30) == date(2026, 4, 7)


def test_an_item_is_due_by_closing_time_and_overdue_from_the_next_day() -> None:
    assert not is_overdue(date(2026, 4, 2), date(2026, 4, 2))
    assert is_overdue(date(2026, 4, 2), date(2026, 4, 3))


def test_days_the_lending_point_is_closed_do_not_count_as_late() -> None:
    # Due Thursday 2 April; back Tuesday 7 April: Friday 3 is open, 4–6 closed, 7 open.
    assert open_days_late(CLOSED_MONDAYS, date(2026, 4, 2), date(2026, 4, 7)) == 2


def test_an_item_returned_on_or_before_its_due_date_is_not_late() -> None:
    assert open_days_late(CLOSED_MONDAYS, date(2026, 4, 2), date(2026, 4, 2)) == 0
    assert open_days_late(CLOSED_MONDAYS, date(2026, 4, 2), date(2026, 3, 20)) == 0


def test_a_renewal_counts_from_the_day_of_renewal() -> None:
    assert renewed_due_date(
        CLOSED_MONDAYS, today=date(2026, 3, 31), current_due=date(2026, 4, 2), renewal_days=30
    ) == date(2026, 4, 30)


def test_a_renewal_never_shortens_a_loan() -> None:
    assert renewed_due_date(
        CLOSED_MONDAYS, today=date(2026, 3, 3), current_due=date(2026, 4, 2), renewal_days=7
    ) == date(2026, 4, 2)


@pytest.mark.parametrize(
    ("price_fen", "capped", "expected"),
    [
        (10800, True, 2000),  # a ¥108 novel: the ¥20 maximum
        (1500, True, 1500),  # a ¥15 paperback: never more than its price
        (None, True, 2000),  # no price known: the maximum
        (1500, False, 2000),  # a rule that does not cap at the price
    ],
)
def test_the_fine_cap_is_the_lower_of_the_maximum_and_the_price(
    price_fen: int | None, capped: bool, expected: int
) -> None:
    rule = PolicyRule(id=1, max_fine_fen=2000, fine_capped_at_price=capped)
    assert fine_cap_fen(rule, price_fen) == expected


def test_a_reader_at_the_item_limit_may_not_borrow_another() -> None:
    rule = PolicyRule(id=1, max_items=5, max_items_of_type=2)
    assert not over_total_limit(rule, LoanCounts(total=4, of_type=0, overdue=0))
    assert over_total_limit(rule, LoanCounts(total=5, of_type=0, overdue=0))
    assert over_type_limit(rule, LoanCounts(total=2, of_type=2, overdue=0))


def test_a_rule_without_a_type_limit_never_refuses_on_type() -> None:
    rule = PolicyRule(id=1, max_items_of_type=None)
    assert not over_type_limit(rule, LoanCounts(total=0, of_type=99, overdue=0))


def test_renewals_left_never_goes_below_zero() -> None:
    assert renewals_left(1, 0) == 1
    assert renewals_left(1, 3) == 0
