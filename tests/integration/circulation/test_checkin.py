"""Checkin anywhere (通借通还): close the loan, charge the fine, route the item."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from circ_library import ADULT, NOW, SENIOR, CircLibrary, day
from sqlalchemy import select

from wenjin.catalog.models import Item
from wenjin.catalog.states import ItemStatus
from wenjin.circulation.errors import ItemWithdrawn, PointDoesNotLend
from wenjin.circulation.models import CirculationEvent, Loan, Transit
from wenjin.circulation.services import CheckinOutcome, CheckinResult, checkin, checkout
from wenjin.circulation.states import LoanStatus, TransitReason, TransitStatus
from wenjin.db.uow import UnitOfWork
from wenjin.fees.models import Fee
from wenjin.fees.services import add_amnesty_window
from wenjin.network.models import ServicePoint

Uow = Callable[..., UnitOfWork]


def lend(uow: Uow, barcode: str, *, card: str = ADULT, at: str = "ZC", now: datetime = NOW) -> int:
    with uow() as work:
        result = checkout(work.session, at=at, card_number=card, barcode=barcode, now=now)
        work.commit()
    return result.loan_id


def give_back(uow: Uow, barcode: str, *, at: str, now: datetime = NOW) -> CheckinResult:
    with uow() as work:
        result = checkin(work.session, at=at, barcode=barcode, now=now)
        work.commit()
    return result


@dataclass(frozen=True)
class Where:
    status: ItemStatus
    owning_point_id: int
    current_point_id: int


def item(uow: Uow, library: CircLibrary, barcode: str) -> Where:
    with uow(readonly=True) as work:
        found = work.session.get(Item, library.items[barcode])
        assert found is not None
        return Where(found.status, found.owning_point_id, found.current_point_id)


def test_returning_at_the_owning_point_puts_the_item_back_on_the_shelf(
    library: CircLibrary, uow: Uow
) -> None:
    loan_id = lend(uow, "ZC01000001")
    result = give_back(uow, "ZC01000001", at="ZC", now=day(3, 20))
    assert (result.outcome, result.returned, result.loan_id) == (
        CheckinOutcome.RETURNED,
        True,
        loan_id,
    )
    assert (result.fine_fen, result.in_transit, result.destination_code) == (0, False, None)
    assert result.slip.zh == "请上架（中文图书借阅区，索书号 I247.57/11）"
    returned = item(uow, library, "ZC01000001")
    assert returned.status is ItemStatus.AVAILABLE
    with uow(readonly=True) as work:
        loan = work.session.get(Loan, loan_id)
        assert loan is not None
        assert loan.status is LoanStatus.RETURNED
        assert loan.returned_at == day(3, 20)
        assert loan.return_point_id == library.points["ZC"]


def test_returning_at_another_branch_puts_the_item_in_transit_home(
    library: CircLibrary, uow: Uow
) -> None:
    loan_id = lend(uow, "ZC01000001")
    result = give_back(uow, "ZC01000001", at="ZC-CC", now=day(3, 20))
    assert result.returned
    assert result.in_transit
    assert (result.destination_code, result.destination_name) == ("ZC", "诸城市图书馆")
    assert result.slip.zh == "请放入送往 诸城市图书馆 的周转箱"
    travelling = item(uow, library, "ZC01000001")
    assert travelling.status is ItemStatus.IN_TRANSIT
    assert travelling.current_point_id == library.points["ZC"]  # where it is heading
    assert travelling.owning_point_id == library.points["ZC"]
    with uow(readonly=True) as work:
        transit = work.session.get(Transit, result.transit_id)
        assert transit is not None
        assert (transit.from_point_id, transit.to_point_id) == (
            library.points["ZC-CC"],
            library.points["ZC"],
        )
        assert (transit.reason, transit.status, transit.loan_id) == (
            TransitReason.RETURN_HOME,
            TransitStatus.IN_TRANSIT,
            loan_id,
        )
        assert transit.sent_at is None


def test_a_floating_item_returned_elsewhere_stays_there_and_belongs_there(
    library: CircLibrary, uow: Uow
) -> None:
    lend(uow, "ZC03000001")
    result = give_back(uow, "ZC03000001", at="ZC-XX", now=day(3, 20))
    assert result.floated
    assert not result.in_transit
    assert "此书今后归属 辛兴镇图书馆" in result.slip.zh
    floated = item(uow, library, "ZC03000001")
    assert floated.status is ItemStatus.AVAILABLE
    assert floated.owning_point_id == floated.current_point_id == library.points["ZC-XX"]
    with uow(readonly=True) as work:
        actions = list(
            work.session.scalars(select(CirculationEvent.action).order_by(CirculationEvent.id))
        )
    assert actions == ["checkout", "floated", "checkin"]


def test_returning_late_charges_a_fine_for_each_open_day_late(
    library: CircLibrary, uow: Uow
) -> None:
    loan_id = lend(uow, "ZC01000001")  # due Thursday 2 April
    # Back Tuesday 7 April: Friday 3 and Tuesday 7 count; 4–6 April (清明, a Monday) do not.
    result = give_back(uow, "ZC01000001", at="ZC", now=day(4, 7))
    assert (result.open_days_late, result.fine_fen) == (2, 20)
    assert "滞纳金 ¥0.20" in result.slip.zh
    with uow(readonly=True) as work:
        fee = work.session.scalars(select(Fee).where(Fee.loan_id == loan_id)).one()
        assert (fee.amount_fen, fee.kind.value, fee.patron_id) == (
            20,
            "overdue",
            library.patrons[ADULT],
        )
        assert work.session.get(Loan, loan_id).fine_fen == 20  # type: ignore[union-attr]


def test_late_days_count_on_the_lending_points_calendar_wherever_it_comes_back(
    library: CircLibrary, uow: Uow
) -> None:
    lend(uow, "ZC01000001")  # lent at the central library, closed on Mondays
    # Returned at the 24-hour library, which is open on those Mondays: they still do not count.
    result = give_back(uow, "ZC01000001", at="ZC-24H", now=day(4, 7))
    assert result.open_days_late == 2


def test_the_fine_stops_at_its_cap(library: CircLibrary, uow: Uow) -> None:
    lend(uow, "ZC01000004", now=day(1, 6))  # 围城, ¥19.00: the cap is its price
    result = give_back(uow, "ZC01000004", at="ZC", now=day(12, 30))
    assert result.open_days_late > 190
    assert result.fine_fen == 1900


def test_an_amnesty_day_waives_the_fine(library: CircLibrary, uow: Uow) -> None:
    lend(uow, "ZC01000001")
    with uow() as work:
        add_amnesty_window(
            work.session,
            name="世界读书日特别还书日",
            starts_on=date(2026, 4, 23),
            ends_on=date(2026, 4, 23),
        )
        work.commit()
    result = give_back(uow, "ZC01000001", at="ZC", now=day(4, 23))
    assert result.open_days_late > 0
    assert (result.fine_fen, result.fine_waived_by_amnesty) == (0, True)
    assert "特别还书日" in result.slip.zh


def test_a_village_reading_room_charges_no_fine(library: CircLibrary, uow: Uow) -> None:
    lend(uow, "ZC01000001", card=SENIOR, at="ZC-V01")
    result = give_back(uow, "ZC01000001", at="ZC-V01", now=day(6, 1))
    assert (result.open_days_late, result.fine_fen) == (0, 0)
    assert result.in_transit  # and it goes home to the central library


def test_a_point_that_does_not_lend_takes_no_returns(library: CircLibrary, uow: Uow) -> None:
    lend(uow, "ZC01000001")
    with uow() as work, pytest.raises(PointDoesNotLend):
        checkin(work.session, at="ZC-OFFICE", barcode="ZC01000001", now=NOW)


def test_an_item_found_at_the_wrong_point_goes_home(library: CircLibrary, uow: Uow) -> None:
    result = give_back(uow, "ZC01000002", at="ZC-CC")  # never lent: left in a return box
    assert (result.outcome, result.returned, result.in_transit) == (
        CheckinOutcome.RETURN_BOX_FIND,
        False,
        True,
    )
    assert result.destination_code == "ZC"
    assert item(uow, library, "ZC01000002").status is ItemStatus.IN_TRANSIT


def test_checking_in_an_item_already_on_the_shelf_here_changes_nothing(
    library: CircLibrary, uow: Uow
) -> None:
    result = give_back(uow, "ZC01000002", at="ZC")
    assert result.outcome is CheckinOutcome.ALREADY_HERE
    assert "无需还书" in result.slip.zh
    with uow(readonly=True) as work:
        assert work.session.scalars(select(CirculationEvent)).first() is None


def test_checking_in_an_item_in_transit_at_its_destination_receives_it(
    library: CircLibrary, uow: Uow
) -> None:
    lend(uow, "ZC01000001")
    sent = give_back(uow, "ZC01000001", at="ZC-CC", now=day(3, 20))
    result = give_back(uow, "ZC01000001", at="ZC", now=day(3, 23))
    assert result.outcome is CheckinOutcome.RECEIVED
    assert not result.in_transit
    assert item(uow, library, "ZC01000001").status is ItemStatus.AVAILABLE
    with uow(readonly=True) as work:
        transit = work.session.get(Transit, sent.transit_id)
        assert transit is not None
        assert transit.status is TransitStatus.RECEIVED
        assert transit.received_at == day(3, 23)


def test_a_withdrawn_item_is_refused_at_checkin(library: CircLibrary, uow: Uow) -> None:
    with uow() as work:
        work.session.get(Item, library.items["ZC01000002"]).status = ItemStatus.WITHDRAWN  # type: ignore[union-attr]
        work.commit()
    with uow() as work, pytest.raises(ItemWithdrawn):
        checkin(work.session, at="ZC", barcode="ZC01000002", now=NOW)


def test_a_damaged_item_checked_in_is_left_for_repair(library: CircLibrary, uow: Uow) -> None:
    with uow() as work:
        work.session.get(Item, library.items["ZC01000002"]).status = ItemStatus.DAMAGED  # type: ignore[union-attr]
        work.commit()
    result = give_back(uow, "ZC01000002", at="ZC")
    assert result.outcome is CheckinOutcome.NOTHING_TO_DO
    assert "送修" in result.slip.zh


def test_a_branch_owned_item_returned_at_the_central_library_goes_back_to_the_branch(
    library: CircLibrary, uow: Uow
) -> None:
    lend(uow, "ZC02000001", at="ZC-CC")
    result = give_back(uow, "ZC02000001", at="ZC")
    assert result.destination_code == "ZC-CC"
    with uow(readonly=True) as work:
        home = work.session.get(ServicePoint, item(uow, library, "ZC02000001").current_point_id)
        assert home is not None
        assert home.code == "ZC-CC"
