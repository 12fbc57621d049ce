"""Transits (调拨): lists per point, receiving at the destination or at the wrong point."""

from __future__ import annotations

import pytest
from circ_library import CircLibrary, day
from helpers import Uow, give_back, lend, where
from sqlalchemy import select

from wenjin.catalog.states import ItemStatus
from wenjin.circulation.errors import NotInTransit
from wenjin.circulation.models import Transit
from wenjin.circulation.queries import transits_expected, transits_to_send
from wenjin.circulation.services import CheckinOutcome, mark_transits_sent, receive_transit
from wenjin.circulation.states import TransitReason, TransitStatus
from wenjin.network.queries import get_point_by_code


def returned_at_the_branch(uow: Uow, barcode: str = "ZC01000001") -> int:
    lend(uow, barcode)
    result = give_back(uow, barcode, at="ZC-CC", now=day(3, 20))
    assert result.transit_id is not None
    return result.transit_id


def test_the_branch_sees_what_to_send_and_the_home_library_what_to_expect(
    library: CircLibrary, uow: Uow
) -> None:
    returned_at_the_branch(uow)
    with uow(readonly=True) as work:
        branch = get_point_by_code(work.session, "ZC-CC")
        central = get_point_by_code(work.session, "ZC")
        (line,) = transits_to_send(work.session, branch)
        assert (line.barcode, line.title, line.to_point, line.to_point_name) == (
            "ZC01000001",
            "平凡的世界",
            "ZC",
            "诸城市图书馆",
        )
        assert line.reason is TransitReason.RETURN_HOME
        assert line.sent_at is None
        assert [x.barcode for x in transits_expected(work.session, central)] == ["ZC01000001"]
        assert transits_to_send(work.session, central) == []
        assert transits_expected(work.session, branch) == []


def test_once_the_courier_takes_the_box_nothing_is_left_to_send(
    library: CircLibrary, uow: Uow
) -> None:
    returned_at_the_branch(uow)
    with uow() as work:
        assert mark_transits_sent(work.session, at="ZC-CC", now=day(3, 21)) == 1
        work.commit()
    with uow(readonly=True) as work:
        assert transits_to_send(work.session, get_point_by_code(work.session, "ZC-CC")) == []
        (expected,) = transits_expected(work.session, get_point_by_code(work.session, "ZC"))
        assert expected.sent_at == day(3, 21)


def test_receiving_at_the_destination_makes_the_item_available_there(
    library: CircLibrary, uow: Uow
) -> None:
    transit_id = returned_at_the_branch(uow)
    with uow() as work:
        result = receive_transit(work.session, at="ZC", barcode="ZC01000001", now=day(3, 23))
        work.commit()
    assert result.outcome is CheckinOutcome.RECEIVED
    assert result.slip.zh.startswith("请上架")
    item = where(uow, library, "ZC01000001")
    assert (item.status, item.current_point_id) == (ItemStatus.AVAILABLE, library.points["ZC"])
    with uow(readonly=True) as work:
        transit = work.session.get(Transit, transit_id)
        assert transit is not None
        assert transit.status is TransitStatus.RECEIVED
        assert transit.received_point_id == library.points["ZC"]
        assert transit.sent_at == transit.received_at == day(3, 23)
        assert transits_expected(work.session, get_point_by_code(work.session, "ZC")) == []


def test_receiving_at_the_wrong_point_sends_the_item_on_to_its_destination(
    library: CircLibrary, uow: Uow
) -> None:
    first = returned_at_the_branch(uow)
    with uow() as work:
        result = receive_transit(work.session, at="ZC-XX", barcode="ZC01000001", now=day(3, 22))
        work.commit()
    assert result.outcome is CheckinOutcome.REROUTED
    assert result.in_transit
    assert result.destination_code == "ZC"
    assert result.slip.zh == "请放入送往 诸城市图书馆 的周转箱"
    with uow(readonly=True) as work:
        transits = list(work.session.scalars(select(Transit).order_by(Transit.id)))
        assert next(t.id for t in transits) == first
        old, onward = transits
        assert old.status is TransitStatus.RECEIVED
        assert old.received_point_id == library.points["ZC-XX"]
        assert "误送" in (old.note or "")
        assert onward.status is TransitStatus.IN_TRANSIT
        assert (onward.from_point_id, onward.to_point_id) == (
            library.points["ZC-XX"],
            library.points["ZC"],
        )
        assert onward.reason is TransitReason.RETURN_HOME
    assert where(uow, library, "ZC01000001").status is ItemStatus.IN_TRANSIT


def test_receiving_an_item_that_is_not_in_transit_is_refused(
    library: CircLibrary, uow: Uow
) -> None:
    with uow() as work, pytest.raises(NotInTransit) as caught:
        receive_transit(work.session, at="ZC", barcode="ZC01000002", now=day(3, 22))
    assert "如是还书请办理还书" in caught.value.message_zh


def test_an_item_has_at_most_one_transit_under_way(library: CircLibrary, uow: Uow) -> None:
    returned_at_the_branch(uow)
    with uow() as work:
        receive_transit(work.session, at="ZC-XX", barcode="ZC01000001", now=day(3, 22))
        work.commit()
    with uow(readonly=True) as work:
        under_way = work.session.scalars(
            select(Transit).where(Transit.status == TransitStatus.IN_TRANSIT)
        ).all()
        assert len(under_way) == 1
