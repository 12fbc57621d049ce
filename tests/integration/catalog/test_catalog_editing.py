"""Editing a record from the MARC editor and changing copies, on both databases."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from wenjin.catalog.errors import (
    ControlNumberTaken,
    InvalidMarc,
    ItemCannotBeWithdrawn,
    ItemOwnerLocked,
    RecordChanged,
)
from wenjin.catalog.marc.editor import editor_text
from wenjin.catalog.marc.reading import IncomingRecord
from wenjin.catalog.marc.record import Field, MarcRecord
from wenjin.catalog.models import BibIsbn, BibRecord, Item
from wenjin.catalog.rules import marc_hash
from wenjin.catalog.services import (
    add_item,
    new_record,
    next_barcode,
    save_records,
    update_item,
    update_record,
    withdraw_item,
)
from wenjin.catalog.states import ItemStatus, MarcFlavour
from wenjin.db.uow import UnitOfWork
from wenjin.network.models import ServicePoint
from wenjin.search.engine import SearchIndex
from wenjin.search.queries import search

UoW = Callable[..., UnitOfWork]


def incoming(control_number: str, title: str) -> IncomingRecord:
    return IncomingRecord(
        MarcRecord(
            "00000nam0 2200000   450 ",
            [Field("001", data=control_number), Field("200", "1", " ", [("a", title)])],
        ),
        MarcFlavour.CNMARC,
        1,
    )


PINGFAN = """LDR 00000nam0#2200000###450#
001 ZC2012000101
010 ##$a978-7-5302-1678-1$dCNY108.00
200 1#$a平凡的世界$APing fan de shi jie$f路遥著
210 ##$a北京$c北京十月文艺出版社$d2012
690 ##$aI247.57$v5
701 #0$a路遥$4著
"""


@pytest.fixture
def record_id(uow: UoW, network: dict[str, int]) -> int:
    with uow() as work:
        saved = save_records(work.session, [incoming("ZC2012000101", "平凡的世界")], source="zc")
        work.commit()
    record_id = saved.record_ids[0]
    assert record_id is not None
    return record_id


def _stored_marc(uow: UoW, record_id: int) -> str:
    with uow(readonly=True) as work:
        return work.session.get_one(BibRecord, record_id).marc


def test_an_edited_record_rederives_its_columns_as_the_import_does(
    uow: UoW, record_id: int
) -> None:
    with uow() as work:
        bib = work.session.get_one(BibRecord, record_id)
        saved = update_record(
            work.session,
            record=bib,
            marc_text=PINGFAN,
            expected_hash=marc_hash(bib.marc),
            actor="zhao.min",
        )
        work.commit()
    assert saved.changed
    assert saved.warnings == []
    with uow(readonly=True) as work:
        bib = work.session.get_one(BibRecord, record_id)
        assert (bib.title, bib.authors, bib.year, bib.clc) == (
            "平凡的世界",
            ["路遥"],
            2012,
            "I247.57",
        )
        assert bib.isbn == "9787530216781"
        assert bib.price_fen == 10800
        assert bib.publisher == "北京十月文艺出版社"
        assert bib.title_pinyin is not None
        assert "ping" in bib.title_pinyin.lower()
        assert bib.source == "zc"
        isbns = work.session.scalars(select(BibIsbn.isbn).where(BibIsbn.bib_id == record_id))
        assert list(isbns) == ["9787530216781"]
        assert saved.marc_hash == marc_hash(bib.marc)


def test_an_edited_title_is_found_by_search_at_once(
    uow: UoW, record_id: int, tmp_path: Path
) -> None:
    with uow() as work:
        bib = work.session.get_one(BibRecord, record_id)
        update_record(
            work.session,
            record=bib,
            marc_text=PINGFAN.replace("平凡的世界", "人生"),
            actor="zhao.min",
        )
        work.commit()
    index = SearchIndex(tmp_path / "index")
    with uow(readonly=True) as work:
        found = search(work.session, index=index, query="人生")
        assert [hit.id for hit in found.hits] == [record_id]
        assert search(work.session, index=index, query="平凡的世界").total == 0


def test_a_save_over_someone_elses_newer_save_is_refused(uow: UoW, record_id: int) -> None:
    opened = marc_hash(_stored_marc(uow, record_id))
    with uow() as work:
        bib = work.session.get_one(BibRecord, record_id)
        update_record(work.session, record=bib, marc_text=PINGFAN, expected_hash=opened, actor="a")
        work.commit()
    with uow() as work:
        bib = work.session.get_one(BibRecord, record_id)
        with pytest.raises(RecordChanged):
            update_record(
                work.session,
                record=bib,
                marc_text=PINGFAN.replace("平凡的世界", "人生"),
                expected_hash=opened,
                actor="b",
            )
    with uow(readonly=True) as work:
        assert work.session.get_one(BibRecord, record_id).title == "平凡的世界"


def test_a_record_with_a_bad_indicator_is_not_saved(uow: UoW, record_id: int) -> None:
    before = _stored_marc(uow, record_id)
    with uow() as work:
        bib = work.session.get_one(BibRecord, record_id)
        with pytest.raises(InvalidMarc) as refused:
            update_record(
                work.session,
                record=bib,
                marc_text=PINGFAN.replace("200 1#", "200 1!").replace("人生", "x"),
                actor="zhao.min",
            )
        work.commit()
    assert [p.line for p in refused.value.problems if p.is_error] == [4]
    assert "第 4 行" in refused.value.message("zh")
    assert _stored_marc(uow, record_id) == before


def test_a_control_number_of_another_record_is_refused(uow: UoW, record_id: int) -> None:
    with uow() as work:
        save_records(work.session, [incoming("ZC2012000999", "白鹿原")], source="zc")
        work.commit()
    with uow() as work:
        bib = work.session.get_one(BibRecord, record_id)
        with pytest.raises(ControlNumberTaken):
            update_record(
                work.session,
                record=bib,
                marc_text=PINGFAN.replace("ZC2012000101", "ZC2012000999"),
                actor="zhao.min",
            )


def test_a_record_built_as_fields_is_saved_too(uow: UoW, record_id: int) -> None:
    marc = MarcRecord.from_json(_stored_marc(uow, record_id))
    title = marc.first("200")
    assert title is not None
    title.subfields[0] = ("a", "平凡的世界（普及本）")
    with uow() as work:
        bib = work.session.get_one(BibRecord, record_id)
        update_record(work.session, record=bib, marc=marc, actor="zhao.min")
        work.commit()
    with uow(readonly=True) as work:
        assert work.session.get_one(BibRecord, record_id).title == "平凡的世界（普及本）"


def test_a_new_record_from_the_editor_is_stored_and_searchable(
    uow: UoW, network: dict[str, int], tmp_path: Path
) -> None:
    with uow() as work:
        saved = new_record(
            work.session,
            flavour=MarcFlavour.CNMARC,
            marc_text=PINGFAN.replace("978-7-5302-1678-1", "978-7-5302-1678-2"),
            actor="zhao.min",
        )
        work.commit()
    assert [w.line for w in saved.warnings] == [3]
    with uow(readonly=True) as work:
        bib = work.session.get_one(BibRecord, saved.record_id)
        assert (bib.source, bib.control_number, bib.title) == (
            "local",
            "ZC2012000101",
            "平凡的世界",
        )
        assert bib.isbn_invalid
        hits = search(work.session, index=SearchIndex(tmp_path / "i"), query="路遥").hits
        assert [hit.id for hit in hits] == [saved.record_id]
        assert editor_text(MarcRecord.from_json(bib.marc)).startswith("LDR 00000nam0#2200000")


# --- copies ---


@pytest.fixture
def copy(uow: UoW, record_id: int) -> str:
    with uow() as work:
        bib = work.session.get_one(BibRecord, record_id)
        point = work.session.scalars(select(ServicePoint).where(ServicePoint.code == "ZX")).one()
        barcode = next_barcode(work.session)
        add_item(
            work.session,
            record=bib,
            barcode=barcode,
            point=point,
            call_number="I247.57/4",
            volume="第1部",
            note="赠书",
            actor="zhao.min",
        )
        work.commit()
    return barcode


def _item(work: UnitOfWork, barcode: str) -> Item:
    return work.session.scalars(select(Item).where(Item.barcode == barcode)).one()


def _point(work: UnitOfWork, code: str) -> ServicePoint:
    return work.session.scalars(select(ServicePoint).where(ServicePoint.code == code)).one()


def test_a_copy_gets_the_next_barcode_of_the_series_with_its_volume_and_note(
    uow: UoW, copy: str
) -> None:
    assert copy.startswith("W")
    with uow(readonly=True) as work:
        item = _item(work, copy)
        assert (item.volume, item.note, item.status) == ("第1部", "赠书", ItemStatus.AVAILABLE)


def test_a_copy_on_the_shelf_can_change_its_description_and_home(uow: UoW, copy: str) -> None:
    with uow() as work:
        update_item(
            work.session,
            item=_item(work, copy),
            actor="zhao.min",
            call_number="I247.57/5",
            location="少儿借阅区",
            price_fen=4580,
            volume="",
            floating=True,
            owning_point=_point(work, "CC"),
        )
        work.commit()
    with uow(readonly=True) as work:
        item = _item(work, copy)
        assert (item.call_number, item.location, item.price_fen) == (
            "I247.57/5",
            "少儿借阅区",
            4580,
        )
        assert item.volume is None
        assert item.floating
        assert item.owning_point.code == "CC"
        assert item.current_point.code == "ZX"  # it is still where it is
        assert item.version == 2


@pytest.mark.parametrize("status", [ItemStatus.ON_LOAN, ItemStatus.IN_TRANSIT])
def test_a_copy_on_loan_or_in_transit_keeps_its_home(
    uow: UoW, copy: str, status: ItemStatus
) -> None:
    with uow() as work:
        _item(work, copy).status = status
        work.commit()
    with uow() as work:
        with pytest.raises(ItemOwnerLocked) as refused:
            update_item(
                work.session, item=_item(work, copy), actor="x", owning_point=_point(work, "CC")
            )
        assert status.label_zh in refused.value.message("zh")
    with uow() as work:  # the rest of its description may still change
        update_item(work.session, item=_item(work, copy), actor="x", call_number="I247.57/6")
        work.commit()
    with uow(readonly=True) as work:
        assert _item(work, copy).call_number == "I247.57/6"


def test_a_copy_on_the_shelf_is_withdrawn_with_its_reason(uow: UoW, copy: str) -> None:
    with uow() as work:
        withdraw_item(work.session, item=_item(work, copy), actor="zhao.min", reason="破损严重")
        work.commit()
    with uow(readonly=True) as work:
        item = _item(work, copy)
        assert item.status is ItemStatus.WITHDRAWN
        assert item.note is not None
        assert item.note.endswith("注销 withdrawn: 破损严重")


def test_a_copy_on_loan_cannot_be_withdrawn(uow: UoW, copy: str) -> None:
    with uow() as work:
        _item(work, copy).status = ItemStatus.ON_LOAN
        work.commit()
    with uow() as work, pytest.raises(ItemCannotBeWithdrawn):
        withdraw_item(work.session, item=_item(work, copy), actor="zhao.min")
