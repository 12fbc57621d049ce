"""Adding an item at the desk, and finding records and items, on both databases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm import Session

from wenjin.catalog.errors import (
    AmbiguousRecord,
    DuplicateBarcode,
    InvalidBarcode,
    ItemNotFound,
    PointCannotHoldItems,
    RecordNotFound,
    UnknownItemType,
)
from wenjin.catalog.marc.reading import IncomingRecord
from wenjin.catalog.marc.record import Field, MarcRecord
from wenjin.catalog.models import BibRecord
from wenjin.catalog.queries import find_record, get_item_by_barcode, item_details
from wenjin.catalog.services import add_item, save_records
from wenjin.catalog.states import ItemStatus, MarcFlavour
from wenjin.db.uow import UnitOfWork
from wenjin.network.models import ServicePoint

UoW = Callable[..., UnitOfWork]


def record(control_number: str, title: str) -> IncomingRecord:
    return IncomingRecord(
        MarcRecord(
            "00000nam0 2200000   450 ",
            [Field("001", data=control_number), Field("200", "1", " ", [("a", title)])],
        ),
        MarcFlavour.CNMARC,
        1,
    )


@pytest.fixture
def records(uow: UoW, network: dict[str, int]) -> list[int]:
    with uow() as work:
        ids = save_records(
            work.session, [record("012020000001", "平凡的世界")], source="zc"
        ).record_ids
        ids += save_records(
            work.session, [record("012020000001", "白鹿原")], source="school"
        ).record_ids
        ids += save_records(work.session, [record("3", "活着")], source="zc").record_ids
        work.commit()
    return [i for i in ids if i is not None]


def point(session: Session, network: dict[str, int], code: str) -> ServicePoint:
    found = session.get(ServicePoint, network[code])
    assert found is not None
    return found


def test_an_item_added_at_a_point_is_on_its_shelf_there(
    uow: UoW, network: dict[str, int], records: list[int]
) -> None:
    with uow() as work:
        bib = work.session.get(BibRecord, records[2])
        assert bib is not None
        item = add_item(
            work.session,
            record=bib,
            barcode="CC0000001",
            point=point(work.session, network, "CC"),
            item_type="child",
            call_number="I247.57/12",
            price_fen=2500,
            location="少儿借阅区",
            acquired_on=date(2020, 9, 1),
        )
        work.commit()
        assert item.status is ItemStatus.AVAILABLE
    with uow(readonly=True) as work:
        details = item_details(work.session, " CC0000001 ")
    assert (details.title, details.status_label, details.item_type) == ("活着", "在架", "CHILD")
    assert (details.owning_point.code, details.current_point.code) == ("CC", "CC")
    assert (details.call_number, details.price_fen, details.location) == (
        "I247.57/12",
        2500,
        "少儿借阅区",
    )
    assert details.loan is None


def test_a_barcode_already_used_anywhere_in_the_network_is_refused(
    uow: UoW, network: dict[str, int], records: list[int]
) -> None:
    with uow() as work:
        bib = work.session.get(BibRecord, records[0])
        assert bib is not None
        add_item(
            work.session, record=bib, barcode="ZX0000001", point=point(work.session, network, "ZX")
        )
        work.commit()
    with uow() as work:
        bib = work.session.get(BibRecord, records[2])
        assert bib is not None
        branch = point(work.session, network, "CC")
        with pytest.raises(DuplicateBarcode) as raised:
            add_item(work.session, record=bib, barcode="ZX0000001", point=branch)
    assert "ZX0000001" in raised.value.message_zh


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"barcode": "A 1234"}, InvalidBarcode),
        ({"barcode": "A1"}, InvalidBarcode),
        ({"item_type": "COMIC"}, UnknownItemType),
        ({"point": "ZC"}, PointCannotHoldItems),
    ],
)
def test_add_item_refuses_what_a_desk_should_not_accept(
    uow: UoW,
    network: dict[str, int],
    records: list[int],
    change: dict[str, str],
    error: type[Exception],
) -> None:
    options = {"barcode": "ZX0000002", "item_type": "BOOK", "point": "ZX"} | change
    with uow() as work:
        bib = work.session.get(BibRecord, records[0])
        assert bib is not None
        at = point(work.session, network, options["point"])
        with pytest.raises(error):
            add_item(
                work.session,
                record=bib,
                barcode=options["barcode"],
                point=at,
                item_type=options["item_type"],
            )


def test_a_record_is_found_by_its_001_or_its_internal_id(uow: UoW, records: list[int]) -> None:
    with uow(readonly=True) as work:
        assert find_record(work.session, f"#{records[1]}").title == "白鹿原"
        assert find_record(work.session, f"id:{records[0]}").title == "平凡的世界"
        with pytest.raises(AmbiguousRecord):
            find_record(work.session, "012020000001")  # two sources use this 001
        with pytest.raises(RecordNotFound):
            find_record(work.session, "999999999")
        with pytest.raises(RecordNotFound):
            find_record(work.session, "#99999999999999")


def test_a_bare_number_that_is_an_id_and_another_records_001_is_ambiguous(
    uow: UoW, records: list[int]
) -> None:
    with uow() as work:
        save_records(work.session, [record(str(records[0]), "围城")], source="zc")
        work.commit()
    with uow(readonly=True) as work:
        with pytest.raises(AmbiguousRecord):
            find_record(work.session, str(records[0]))
        assert find_record(work.session, f"#{records[0]}").title == "平凡的世界"
        # 活着 has 001 "3": whatever its id, "3" finds it when no other record has id 3
        if records[2] == 3 or 3 not in records:
            assert find_record(work.session, "3").title == "活着"


def test_an_unknown_barcode_says_so(uow: UoW) -> None:
    with uow(readonly=True) as work, pytest.raises(ItemNotFound):
        get_item_by_barcode(work.session, "NOPE0001")
