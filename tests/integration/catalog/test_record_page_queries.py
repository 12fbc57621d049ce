"""The read side behind the record and home pages, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from wenjin.catalog.errors import RecordNotFound
from wenjin.catalog.models import BibIsbn, BibRecord, Item, ItemType
from wenjin.catalog.queries import (
    catalogue_counts,
    marc_view,
    point_holdings,
    recent_records,
    record_page,
)
from wenjin.catalog.states import ItemStatus, MarcFlavour
from wenjin.db.uow import UnitOfWork
from wenjin.network.models import ServicePoint
from wenjin.network.states import PointKind

MARC = json.dumps(
    {
        "leader": "00714nam0 2200229   450 ",
        "fields": [
            {"001": "012008000001"},
            {"200": {"ind1": "1", "ind2": " ", "subfields": [{"a": "三体"}, {"f": "刘慈欣著"}]}},
            {"690": {"ind1": " ", "ind2": " ", "subfields": [{"a": "I247.55"}, {"v": "5"}]}},
        ],
    },
    ensure_ascii=False,
)


def _point(code: str, name: str, order: int, name_en: str | None = None) -> ServicePoint:
    return ServicePoint(
        code=code, name=name, name_en=name_en, kind=PointKind.BRANCH, sort_order=order
    )


def _record(title: str, control_number: str, **fields: object) -> BibRecord:
    return BibRecord(
        source="test",
        control_number=control_number,
        fingerprint=control_number.ljust(40, "0"),
        flavour=MarcFlavour.CNMARC,
        marc=MARC,
        title=title,
        **fields,
    )


@pytest.fixture
def shelves(uow: Callable[..., UnitOfWork]) -> dict[str, int]:
    """Two branches and two records: 三体 with four copies (one withdrawn), 活着 with none."""
    with uow() as work:
        session: Session = work.session
        east, west = (
            _point("DONG", "东关图书馆", 2),
            _point("XI", "西关图书馆", 1, "West Gate Library"),
        )
        book = ItemType(code="BOOK", name="普通图书", name_en="Book")
        scifi = _record(
            "三体",
            "012008000001",
            isbns=[
                BibIsbn(position=0, isbn="9787536692930", valid=True, qualifier="平装"),
                BibIsbn(position=1, isbn="978-7-5366-XXXX", valid=False),
            ],
        )
        alive = _record("活着", "012012000002")
        session.add_all([east, west, book, scifi, alive])
        session.flush()

        def copy(barcode: str, home: ServicePoint, here: ServicePoint, status: ItemStatus) -> Item:
            return Item(
                barcode=barcode,
                bib_id=scifi.id,
                owning_point_id=home.id,
                current_point_id=here.id,
                item_type_id=book.id,
                status=status,
                call_number="I247.55/12",
            )

        session.add_all(
            [
                copy("DG0001", east, east, ItemStatus.AVAILABLE),
                copy("DG0002", east, west, ItemStatus.IN_TRANSIT),
                copy("XG0003", west, west, ItemStatus.ON_LOAN),
                copy("XG0004", west, west, ItemStatus.WITHDRAWN),
            ]
        )
        work.commit()
        return {"east": east.id, "west": west.id, "scifi": scifi.id, "alive": alive.id}


def test_record_page_groups_copies_by_current_point_in_network_order(
    uow: Callable[..., UnitOfWork], shelves: dict[str, int]
) -> None:
    with uow(readonly=True) as work:
        page = record_page(work.session, shelves["scifi"])
    assert [group.point_code for group in page.holdings] == ["XI", "DONG"]  # by sort order
    west, east = page.holdings
    assert west.point_name_en == "West Gate Library"
    assert [(c.barcode, c.status) for c in west.copies] == [
        ("DG0002", ItemStatus.IN_TRANSIT),
        ("XG0003", ItemStatus.ON_LOAN),
    ]
    in_transit = west.copies[0]
    assert in_transit.away_from_home
    assert in_transit.home_code == "DONG"
    assert not west.copies[1].away_from_home
    assert [c.barcode for c in east.copies] == ["DG0001"]
    assert east.copies[0].item_type == "普通图书"
    assert east.copies[0].item_type_en == "Book"
    assert (page.copies_total, page.copies_available) == (3, 1)


def test_record_page_hyphenates_valid_isbns_and_keeps_invalid_ones_as_given(
    uow: Callable[..., UnitOfWork], shelves: dict[str, int]
) -> None:
    with uow(readonly=True) as work:
        page = record_page(work.session, shelves["scifi"])
    assert [(i.display, i.valid, i.qualifier) for i in page.isbns] == [
        ("978-7-5366-9293-0", True, "平装"),
        ("978-7-5366-XXXX", False, None),
    ]


def test_record_page_reads_the_marc_fields_in_order(
    uow: Callable[..., UnitOfWork], shelves: dict[str, int]
) -> None:
    with uow(readonly=True) as work:
        page = record_page(work.session, shelves["scifi"])
    assert page.leader == "00714nam0 2200229   450 "
    assert [field.tag for field in page.marc_fields] == ["001", "200", "690"]
    control, title, _ = page.marc_fields
    assert control.is_control
    assert control.value == "012008000001"
    assert not title.is_control
    assert (title.ind1, title.ind2) == ("1", " ")
    assert title.subfields == (("a", "三体"), ("f", "刘慈欣著"))


def test_a_record_without_copies_has_no_holdings(
    uow: Callable[..., UnitOfWork], shelves: dict[str, int]
) -> None:
    with uow(readonly=True) as work:
        page = record_page(work.session, shelves["alive"])
    assert page.holdings == ()
    assert page.copies_total == 0


@pytest.mark.parametrize("record_id", [0, -3, 2**31, 10**20])
def test_ids_that_cannot_exist_raise_record_not_found(
    uow: Callable[..., UnitOfWork], record_id: int
) -> None:
    with uow(readonly=True) as work, pytest.raises(RecordNotFound):
        record_page(work.session, record_id)


def test_a_missing_record_raises_record_not_found(
    uow: Callable[..., UnitOfWork], shelves: dict[str, int]
) -> None:
    with uow(readonly=True) as work, pytest.raises(RecordNotFound) as raised:
        record_page(work.session, shelves["alive"] + 100)
    assert str(shelves["alive"] + 100) in raised.value.message_en


def test_recent_records_come_newest_first(
    uow: Callable[..., UnitOfWork], shelves: dict[str, int]
) -> None:
    with uow(readonly=True) as work:
        assert [r.title for r in recent_records(work.session, 10)] == ["活着", "三体"]
        assert [r.title for r in recent_records(work.session, 1)] == ["活着"]


def test_counts_leave_withdrawn_items_out(
    uow: Callable[..., UnitOfWork], shelves: dict[str, int]
) -> None:
    with uow(readonly=True) as work:
        assert catalogue_counts(work.session) == {"records": 2, "items": 3}
        east = point_holdings(work.session, shelves["east"])
        west = point_holdings(work.session, shelves["west"])
    assert (east.owned, east.on_shelf) == (2, 1)
    assert (west.owned, west.on_shelf) == (1, 0)


def test_marc_view_accepts_a_record_without_fields() -> None:
    assert marc_view('{"leader": "00000nam  2200000   450 "}') == ("00000nam  2200000   450 ", ())
