"""Transfers (调拨): a librarian's transfer, cancelled or lost on the way, and courier manifests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from wenjin.catalog.models import Item
from wenjin.catalog.states import ItemStatus
from wenjin.circulation.models import CirculationEvent, Transit
from wenjin.circulation.services import checkout, found, mark_transits_sent, receive_transit
from wenjin.circulation.states import TransitReason, TransitStatus
from wenjin.db.uow import UnitOfWork
from wenjin.network.queries import get_point_by_code
from wenjin.transfers.errors import (
    CannotSendItem,
    NoCourierLeg,
    NoTransitUnderWay,
    SameOriginAndDestination,
    TransitAlreadySent,
)
from wenjin.transfers.queries import Direction, courier_manifest, transit_list
from wenjin.transfers.services import cancel_transit, hand_to_courier, send_item, transit_lost

Uow = Callable[..., UnitOfWork]
TZ = ZoneInfo("Asia/Shanghai")
TUESDAY = datetime(2026, 3, 3, 10, tzinfo=TZ)
WEDNESDAY = datetime(2026, 3, 4, 10, tzinfo=TZ)


def transfer(uow: Uow, barcode: str, to: str, *, at: str = "ZC", now: datetime = TUESDAY) -> int:
    with uow() as work:
        result = send_item(work.session, at=at, barcode=barcode, to=to, note="馆际调剂", now=now)
        work.commit()
    return result.transit_id


def item(uow: Uow, barcode: str) -> tuple[ItemStatus, str]:
    with uow(readonly=True) as work:
        row = work.session.scalars(select(Item).where(Item.barcode == barcode)).one()
        return row.status, row.current_point.code


def test_a_manual_transfer_puts_the_item_in_transit_to_the_other_point(
    library: Any, uow: Uow
) -> None:
    transit_id = transfer(uow, "ZC01000001", "ZC-CC")
    assert item(uow, "ZC01000001") == (ItemStatus.IN_TRANSIT, "ZC-CC")
    with uow(readonly=True) as work:
        transit = work.session.get(Transit, transit_id)
        assert transit is not None
        assert (transit.reason, transit.status, transit.note) == (
            TransitReason.MANUAL,
            TransitStatus.IN_TRANSIT,
            "馆际调剂",
        )
    with uow() as work:
        receive_transit(work.session, at="ZC-CC", barcode="ZC01000001", now=WEDNESDAY)
        work.commit()
    assert item(uow, "ZC01000001") == (ItemStatus.AVAILABLE, "ZC-CC")


def test_a_manual_transfer_of_an_item_not_on_the_shelf_here_is_refused(
    library: Any, uow: Uow
) -> None:
    with uow() as work, pytest.raises(CannotSendItem) as elsewhere:
        send_item(work.session, at="ZC-CC", barcode="ZC01000001", to="ZC-XX", now=TUESDAY)
    assert "请在 ZC 办理调拨" in elsewhere.value.message_zh
    with uow() as work:
        checkout(work.session, at="ZC", card_number="ZC00012345", barcode="ZC01000002", now=TUESDAY)
        work.commit()
    with uow() as work, pytest.raises(CannotSendItem) as on_loan:
        send_item(work.session, at="ZC", barcode="ZC01000002", to="ZC-XX", now=TUESDAY)
    assert "借出" in on_loan.value.message_zh
    assert "check it in first" in on_loan.value.message_en
    with uow() as work, pytest.raises(SameOriginAndDestination):
        send_item(work.session, at="ZC", barcode="ZC01000003", to="ZC", now=TUESDAY)


def test_a_manual_transfer_cancelled_puts_the_item_back_on_the_shelf_where_it_is(
    library: Any, uow: Uow
) -> None:
    transit_id = transfer(uow, "ZC01000001", "ZC-CC")
    with uow() as work:
        result = cancel_transit(
            work.session, barcode="ZC01000001", reason="读者在总馆预约", now=TUESDAY
        )
        work.commit()
    assert (result.status, result.item_point) == (TransitStatus.CANCELLED, "ZC")
    assert item(uow, "ZC01000001") == (ItemStatus.AVAILABLE, "ZC")
    with uow(readonly=True) as work:
        transit = work.session.get(Transit, transit_id)
        assert transit is not None
        assert transit.status is TransitStatus.CANCELLED
        assert "取消：读者在总馆预约" in (transit.note or "")
        event = work.session.scalars(
            select(CirculationEvent).where(CirculationEvent.action == "transit_cancelled")
        ).one()
        assert event.after == {
            "item_status": "available",
            "current_point_id": transit.from_point_id,
            "reason": "读者在总馆预约",
        }
    with uow() as work, pytest.raises(NoTransitUnderWay):
        cancel_transit(work.session, barcode="ZC01000001", now=TUESDAY)


def test_cancelling_a_transit_the_courier_took_needs_to_know_where_the_item_is(
    library: Any, uow: Uow
) -> None:
    transfer(uow, "ZC01000001", "ZC-CC")
    with uow() as work:
        mark_transits_sent(work.session, at="ZC", now=TUESDAY)
        work.commit()
    with uow() as work, pytest.raises(TransitAlreadySent) as refused:
        cancel_transit(work.session, barcode="ZC01000001", now=WEDNESDAY)
    assert "--at" in refused.value.message_zh
    with uow() as work:
        cancel_transit(work.session, barcode="ZC01000001", at="ZC-CC", now=WEDNESDAY)
        work.commit()
    assert item(uow, "ZC01000001") == (ItemStatus.AVAILABLE, "ZC-CC")


def test_a_transit_lost_marks_the_item_missing_until_it_is_found(library: Any, uow: Uow) -> None:
    transit_id = transfer(uow, "ZC01000001", "ZC-CC")
    with uow() as work:
        result = transit_lost(work.session, barcode="ZC01000001", note="物流箱破损", now=WEDNESDAY)
        work.commit()
    assert result.item_status is ItemStatus.MISSING
    assert item(uow, "ZC01000001")[0] is ItemStatus.MISSING
    with uow(readonly=True) as work:
        transit = work.session.get(Transit, transit_id)
        assert transit is not None
        assert transit.status is TransitStatus.LOST
    with uow() as work:
        found(work.session, barcode="ZC01000001", at="ZC", now=datetime(2026, 3, 9, 10, tzinfo=TZ))
        work.commit()
    assert item(uow, "ZC01000001") == (ItemStatus.AVAILABLE, "ZC")


def test_a_transit_can_be_recorded_as_lost_rather_than_missing(library: Any, uow: Uow) -> None:
    transfer(uow, "ZC01000001", "ZC-CC")
    with uow() as work:
        transit_lost(work.session, barcode="ZC01000001", mark=ItemStatus.LOST, now=WEDNESDAY)
        work.commit()
    assert item(uow, "ZC01000001")[0] is ItemStatus.LOST


def test_the_manifest_lists_what_leaves_each_point_on_the_courier_day(
    library: Any, uow: Uow
) -> None:
    transfer(uow, "ZC01000001", "ZC-CC")  # Tuesdays and Fridays: leaves today
    transfer(uow, "ZC01000002", "ZC-L01")  # Wednesdays only: waits a day
    transfer(uow, "ZC01000003", "ZC-V01")  # by 辛兴镇 (daily), then Thursdays to the village
    with uow(readonly=True) as work:
        tuesday = courier_manifest(work.session, at="ZC", day=date(2026, 3, 3))
        wednesday = courier_manifest(work.session, at="ZC", day=date(2026, 3, 4))
    assert [(leg.next_stop, [line.barcode for line in leg.lines]) for leg in tuesday.legs] == [
        ("ZC-CC", ["ZC01000001"]),
        ("ZC-XX", ["ZC01000003"]),
    ]
    village = tuesday.legs[1].lines[0]
    assert (village.destination, village.leaves_on, village.arrives_on) == (
        "ZC-V01",
        date(2026, 3, 3),
        date(2026, 3, 7),
    )
    assert [(w.barcode, w.leaves_on) for w in tuesday.waiting] == [("ZC01000002", date(2026, 3, 4))]
    assert tuesday.leaving == 2
    # not sent on Tuesday: on Wednesday the branch's courier does not run, the stations' does
    assert [leg.next_stop for leg in wednesday.legs] == ["ZC-L01", "ZC-XX"]
    assert [w.barcode for w in wednesday.waiting] == ["ZC01000001"]


def test_items_the_courier_took_stay_on_that_days_manifest(library: Any, uow: Uow) -> None:
    transfer(uow, "ZC01000001", "ZC-CC")
    with uow() as work:
        mark_transits_sent(work.session, at="ZC", now=TUESDAY)
        work.commit()
    with uow(readonly=True) as work:
        tuesday = courier_manifest(work.session, at="ZC", day=date(2026, 3, 3))
        friday = courier_manifest(work.session, at="ZC", day=date(2026, 3, 6))
    assert [line.barcode for leg in tuesday.legs for line in leg.lines] == ["ZC01000001"]
    assert friday.legs == []


def test_the_manifest_of_one_route_keeps_only_that_leg(library: Any, uow: Uow) -> None:
    transfer(uow, "ZC01000001", "ZC-CC")
    transfer(uow, "ZC01000002", "ZC-L01")
    with uow(readonly=True) as work:
        manifest = courier_manifest(work.session, at="ZC", day=date(2026, 3, 4), route="ZC-L01")
        assert [leg.next_stop for leg in manifest.legs] == ["ZC-L01"]
        with pytest.raises(NoCourierLeg):
            courier_manifest(work.session, at="ZC", day=date(2026, 3, 4), route="ZC-V01")


def test_transit_lists_show_outgoing_and_incoming_items(library: Any, uow: Uow) -> None:
    transfer(uow, "ZC01000001", "ZC-CC")
    with uow(readonly=True) as work:
        central = transit_list(work.session, get_point_by_code(work.session, "ZC"))
        branch = transit_list(
            work.session, get_point_by_code(work.session, "ZC-CC"), Direction.INCOMING
        )
    assert [line.barcode for line in central[Direction.OUTGOING]] == ["ZC01000001"]
    assert central[Direction.INCOMING] == []
    assert list(branch) == [Direction.INCOMING]
    assert [line.from_point for line in branch[Direction.INCOMING]] == ["ZC"]


def test_handing_the_boxes_to_the_courier_sends_only_what_leaves_that_day(
    library: Any, uow: Uow
) -> None:
    leaves = transfer(uow, "ZC01000001", "ZC-CC")
    waits = transfer(uow, "ZC01000002", "ZC-L01")
    with uow() as work:
        sent = hand_to_courier(work.session, at="ZC", now=TUESDAY)
        work.commit()
    assert sent == [leaves]
    with uow(readonly=True) as work:
        assert (work.session.get(Transit, leaves) or Transit()).sent_at == TUESDAY
        assert (work.session.get(Transit, waits) or Transit()).sent_at is None
        assert (
            work.session.scalar(
                select(CirculationEvent.item_id).where(CirculationEvent.action == "transit_sent")
            )
            == library.items["ZC01000001"]
        )
