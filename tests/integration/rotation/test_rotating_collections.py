"""Rotating collections (流动站): a batch sent to a station, lent there, recalled and rotated."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from rotation_library import ADULT, BATCH_BARCODES, RotationLibrary, day
from sqlalchemy import func, select

from wenjin.catalog.models import Item
from wenjin.catalog.states import ItemStatus
from wenjin.circulation.errors import ItemInTransit
from wenjin.circulation.models import CirculationEvent, Transit
from wenjin.circulation.services import CheckinOutcome, checkin, checkout
from wenjin.circulation.states import TransitReason, TransitStatus
from wenjin.db.uow import UnitOfWork
from wenjin.rotation.errors import (
    CollectionInWrongState,
    ItemsNotReady,
    WrongPointForCollection,
)
from wenjin.rotation.queries import collection_detail, due_collections
from wenjin.rotation.services import (
    add_items,
    create_collection,
    create_plan,
    recall_collection,
    receive_collection,
    remove_items,
    send_collection,
)
from wenjin.rotation.states import CollectionStatus

Uow = Callable[..., UnitOfWork]
PLAN_STATIONS = ["ZC-L01", "ZC-L02", "ZC-L03"]


def make_collection(uow: Uow, *, barcodes: list[str] = BATCH_BARCODES) -> None:
    with uow() as work:
        create_plan(
            work.session,
            code="LDZ-2026",
            name="2026年流动站轮换",
            stations=PLAN_STATIONS,
            stay_days=90,
        )
        create_collection(
            work.session, code="LD-001", name="第一流动书箱", home="ZC", plan="LDZ-2026"
        )
        add_items(work.session, collection="LD-001", barcodes=barcodes, now=day(3, 2))
        work.commit()


def send(uow: Uow, **kwargs: object) -> None:
    with uow() as work:
        send_collection(work.session, collection="LD-001", now=day(3, 3), **kwargs)  # type: ignore[arg-type]
        work.commit()


def receive(uow: Uow, at: str = "ZC-L01", when: object = None) -> None:
    with uow() as work:
        receive_collection(work.session, collection="LD-001", at=at, now=when or day(3, 5))  # type: ignore[arg-type]
        work.commit()


def at_station(uow: Uow) -> None:
    make_collection(uow)
    send(uow)
    receive(uow)


def item_state(uow: Uow, barcode: str) -> tuple[ItemStatus, int, int, int | None]:
    with uow(readonly=True) as work:
        item = work.session.scalars(select(Item).where(Item.barcode == barcode)).one()
        return item.status, item.current_point_id, item.owning_point_id, item.stationed_point_id


def test_a_batch_sent_puts_all_its_items_in_transit_and_none_lendable(
    library: RotationLibrary, uow: Uow
) -> None:
    make_collection(uow)
    send(uow)
    for barcode in BATCH_BARCODES:
        status, current, _, stationed = item_state(uow, barcode)
        assert (status, current, stationed) == (
            ItemStatus.IN_TRANSIT,
            library.points["ZC-L01"],
            library.points["ZC-L01"],
        )
    with uow() as work, pytest.raises(ItemInTransit):
        checkout(work.session, at="ZC", card_number=ADULT, barcode=BATCH_BARCODES[0], now=day(3, 3))
    with uow(readonly=True) as work:
        transits = work.session.scalars(select(Transit)).all()
        assert {t.reason for t in transits} == {TransitReason.ROTATION}
        assert len(transits) == len(BATCH_BARCODES)
        detail = collection_detail(work.session, "LD-001")
    assert detail.collection.status is CollectionStatus.IN_TRANSIT
    assert detail.collection.station == "ZC-L01"


def test_receiving_the_batch_makes_its_items_lendable_at_the_station(
    library: RotationLibrary, uow: Uow
) -> None:
    at_station(uow)
    for barcode in BATCH_BARCODES:
        assert item_state(uow, barcode)[:2] == (ItemStatus.AVAILABLE, library.points["ZC-L01"])
    with uow() as work:
        loan = checkout(
            work.session, at="ZC-L01", card_number=ADULT, barcode="ZC08000003", now=day(3, 6)
        )
        work.commit()
    assert loan.point_code == "ZC-L01"
    with uow(readonly=True) as work:
        detail = collection_detail(work.session, "LD-001")
    assert detail.collection.status is CollectionStatus.AT_STATION
    assert detail.collection.due_back_on == date(2026, 6, 3)
    (stay,) = detail.stays
    assert (stay.point, stay.items_sent, stay.due_back_on) == ("ZC-L01", 6, date(2026, 6, 3))


def test_a_return_at_the_station_keeps_the_item_there(library: RotationLibrary, uow: Uow) -> None:
    at_station(uow)
    with uow() as work:
        checkout(work.session, at="ZC-L01", card_number=ADULT, barcode="ZC08000003", now=day(3, 6))
        work.commit()
    with uow() as work:
        result = checkin(work.session, at="ZC-L01", barcode="ZC08000003", now=day(3, 20))
        work.commit()
    assert result.outcome is CheckinOutcome.RETURNED
    assert not result.in_transit
    assert result.slip.zh.startswith("请上架")
    assert item_state(uow, "ZC08000003")[:2] == (ItemStatus.AVAILABLE, library.points["ZC-L01"])


def test_a_return_elsewhere_goes_to_the_station_while_the_collection_is_there(
    library: RotationLibrary, uow: Uow
) -> None:
    at_station(uow)
    with uow() as work:
        checkout(work.session, at="ZC-L01", card_number=ADULT, barcode="ZC08000003", now=day(3, 6))
        work.commit()
    with uow() as work:
        result = checkin(work.session, at="ZC", barcode="ZC08000003", now=day(3, 20))
        work.commit()
    assert result.destination_code == "ZC-L01"
    assert result.slip.zh == "请放入送往 东关社区图书流动站 的周转箱"
    with uow(readonly=True) as work:
        transit = work.session.scalars(
            select(Transit).where(Transit.status == TransitStatus.IN_TRANSIT)
        ).one()
        assert transit.reason is TransitReason.ROTATION


def test_items_keep_their_home_and_owning_point_all_along(
    library: RotationLibrary, uow: Uow
) -> None:
    at_station(uow)
    for barcode in BATCH_BARCODES:
        assert item_state(uow, barcode)[2] == library.points["ZC"]


def test_recall_sends_the_items_on_to_the_next_station_of_the_plan(
    library: RotationLibrary, uow: Uow
) -> None:
    at_station(uow)
    with uow() as work:
        result = recall_collection(work.session, collection="LD-001", to_next=True, now=day(6, 3))
        work.commit()
    assert result.destination_code == "ZC-L02"
    assert sorted(result.sent) == BATCH_BARCODES
    for barcode in BATCH_BARCODES:
        assert item_state(uow, barcode) == (
            ItemStatus.IN_TRANSIT,
            library.points["ZC-L02"],
            library.points["ZC"],
            library.points["ZC-L02"],
        )
    receive(uow, at="ZC-L02", when=day(6, 4))
    with uow(readonly=True) as work:
        detail = collection_detail(work.session, "LD-001")
    assert (detail.collection.status, detail.collection.station) == (
        CollectionStatus.AT_STATION,
        "ZC-L02",
    )
    assert [(s.point, s.left_at is not None) for s in detail.stays] == [
        ("ZC-L01", True),
        ("ZC-L02", False),
    ]


def test_recalling_home_sends_the_batch_home_and_a_late_return_goes_home_too(
    library: RotationLibrary, uow: Uow
) -> None:
    at_station(uow)
    with uow() as work:
        checkout(work.session, at="ZC-L01", card_number=ADULT, barcode="ZC08000005", now=day(3, 6))
        work.commit()
    with uow() as work:
        result = recall_collection(work.session, collection="LD-001", now=day(6, 3))
        work.commit()
    assert result.destination_code == "ZC"
    assert result.following == ["ZC08000005"]
    assert len(result.sent) == 5
    receive(uow, at="ZC", when=day(6, 4))
    with uow(readonly=True) as work:
        assert (
            collection_detail(work.session, "LD-001").collection.status is CollectionStatus.AT_HOME
        )
    with uow() as work:
        late = checkin(work.session, at="ZC-L01", barcode="ZC08000005", now=day(6, 10))
        work.commit()
    assert late.destination_code == "ZC"
    with uow() as work:
        home = checkin(work.session, at="ZC", barcode="ZC08000001", now=day(6, 10))
        work.commit()
    assert home.outcome is CheckinOutcome.ALREADY_HERE


def test_items_on_loan_when_the_batch_is_sent_follow_it_when_returned(
    library: RotationLibrary, uow: Uow
) -> None:
    make_collection(uow)
    with uow() as work:
        checkout(work.session, at="ZC", card_number=ADULT, barcode="ZC08000002", now=day(3, 2))
        work.commit()
    with uow() as work:
        result = send_collection(work.session, collection="LD-001", now=day(3, 3))
        work.commit()
    assert result.following == ["ZC08000002"]
    assert "ZC08000002" not in result.sent
    with uow() as work:
        back = checkin(work.session, at="ZC", barcode="ZC08000002", now=day(3, 10))
        work.commit()
    assert back.destination_code == "ZC-L01"


def test_a_batch_with_items_not_on_the_shelf_at_home_is_refused_with_the_list(
    library: RotationLibrary, uow: Uow
) -> None:
    make_collection(uow)
    with uow() as work:
        checkout(work.session, at="ZC", card_number=ADULT, barcode="ZC08000004", now=day(3, 1))
        checkin(work.session, at="ZC-XX", barcode="ZC08000004", now=day(3, 2))
        work.commit()
    with uow() as work, pytest.raises(ItemsNotReady) as refused:
        send_collection(work.session, collection="LD-001", now=day(3, 3))
    assert [p.barcode for p in refused.value.problems] == ["ZC08000004"]
    assert "在途" in refused.value.message_zh
    assert "nothing was changed" in refused.value.message_en
    assert item_state(uow, "ZC08000001")[0] is ItemStatus.AVAILABLE


def test_an_item_is_in_at_most_one_collection(library: RotationLibrary, uow: Uow) -> None:
    make_collection(uow)
    with uow() as work:
        create_collection(work.session, code="LD-002", name="第二流动书箱", home="ZC")
        work.commit()
    with uow() as work, pytest.raises(ItemsNotReady) as refused:
        add_items(work.session, collection="LD-002", barcodes=["ZC08000001", "ZC09999999"])
    assert "LD-001" in refused.value.message_zh
    assert "no such barcode" in refused.value.message_en


def test_receiving_a_batch_at_another_point_is_refused(library: RotationLibrary, uow: Uow) -> None:
    make_collection(uow)
    send(uow)
    with uow() as work, pytest.raises(WrongPointForCollection) as refused:
        receive_collection(work.session, collection="LD-001", at="ZC-L02", now=day(3, 5))
    assert "ZC-L01" in refused.value.message_zh


def test_a_collection_in_transit_cannot_be_recalled_or_sent_again(
    library: RotationLibrary, uow: Uow
) -> None:
    make_collection(uow)
    send(uow)
    with uow() as work, pytest.raises(CollectionInWrongState):
        recall_collection(work.session, collection="LD-001", now=day(3, 4))
    with uow() as work, pytest.raises(CollectionInWrongState):
        send_collection(work.session, collection="LD-001", now=day(3, 4))


def test_items_received_one_by_one_at_the_desk_count_when_the_batch_is_received(
    library: RotationLibrary, uow: Uow
) -> None:
    make_collection(uow)
    send(uow)
    with uow() as work:
        checkin(work.session, at="ZC-L01", barcode="ZC08000001", now=day(3, 5))
        result = receive_collection(
            work.session, collection="LD-001", at="ZC-L01", barcodes=["ZC08000002"], now=day(3, 5)
        )
        work.commit()
    assert [r.barcode for r in result.received] == ["ZC08000002"]
    assert len(result.still_in_transit) == 4
    assert result.status is CollectionStatus.AT_STATION


def test_the_due_list_shows_collections_whose_stay_is_over_and_their_next_station(
    library: RotationLibrary, uow: Uow
) -> None:
    at_station(uow)
    with uow(readonly=True) as work:
        assert due_collections(work.session, today=date(2026, 6, 2)) == []
        (due,) = due_collections(work.session, today=date(2026, 6, 3))
    assert (due.code, due.station, due.next_station, due.plan) == (
        "LD-001",
        "ZC-L01",
        "ZC-L02",
        "LDZ-2026",
    )


def test_removing_an_item_at_a_station_sends_it_home(library: RotationLibrary, uow: Uow) -> None:
    at_station(uow)
    with uow() as work:
        result = remove_items(
            work.session, collection="LD-001", barcodes=["ZC08000006"], now=day(3, 9)
        )
        work.commit()
    assert result.sent_home == ["ZC08000006"]
    status, current, _, stationed = item_state(uow, "ZC08000006")
    assert (status, current, stationed) == (ItemStatus.IN_TRANSIT, library.points["ZC"], None)
    with uow(readonly=True) as work:
        assert len(collection_detail(work.session, "LD-001").items) == 5


def test_every_item_movement_of_a_batch_is_in_the_circulation_log(
    library: RotationLibrary, uow: Uow
) -> None:
    at_station(uow)
    with uow(readonly=True) as work:
        counts = dict(
            work.session.execute(
                select(CirculationEvent.action, func.count())
                .where(CirculationEvent.item_id.in_(library.items[b] for b in BATCH_BARCODES))
                .group_by(CirculationEvent.action)
            ).all()
        )
    assert counts == {"transit_created": 6, "transit_received": 6}


def test_items_that_arrive_after_the_batch_are_received_at_the_station_later(
    library: RotationLibrary, uow: Uow
) -> None:
    make_collection(uow)
    send(uow)
    with uow() as work:
        receive_collection(
            work.session, collection="LD-001", at="ZC-L01", barcodes=["ZC08000001"], now=day(3, 5)
        )
        work.commit()
    with uow() as work:
        late = receive_collection(work.session, collection="LD-001", at="ZC-L01", now=day(3, 9))
        work.commit()
    assert len(late.received) == 5
    assert late.still_in_transit == []
    assert late.status is CollectionStatus.AT_STATION
    with uow(readonly=True) as work:
        (stay,) = collection_detail(work.session, "LD-001").stays
    assert stay.due_back_on == date(2026, 6, 3)  # the stay began with the first receipt
