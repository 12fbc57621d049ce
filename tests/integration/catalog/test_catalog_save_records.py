"""save_records on SQLite and PostgreSQL: matching, upserts, holdings into items."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pymarc
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wenjin.catalog.marc.reading import IncomingRecord, read_marc
from wenjin.catalog.marc.record import Field, MarcRecord
from wenjin.catalog.models import BibIsbn, BibRecord, Item, ItemType
from wenjin.catalog.services import SaveResult, ensure_default_item_types, save_records
from wenjin.catalog.states import ItemStatus, MarcFlavour
from wenjin.db.uow import UnitOfWork
from wenjin.network.models import ServicePoint

MARC_DATA = Path(__file__).resolve().parents[2] / "data" / "marc"

UoW = Callable[..., UnitOfWork]


def sample(name: str) -> list[IncomingRecord]:
    results = [r for r in read_marc(MARC_DATA / name) if isinstance(r, IncomingRecord)]
    assert results
    return results


def save(uow: UoW, records: list[IncomingRecord], **options: object) -> SaveResult:
    with uow() as work:
        result = save_records(work.session, records, **options)  # type: ignore[arg-type]
        work.commit()
    return result


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def cnmarc(
    control_number: str | None, title: str, *fields: Field, isbn: str | None = None
) -> IncomingRecord:
    all_fields = [Field("001", data=control_number)] if control_number else []
    if isbn:
        all_fields.append(Field("010", " ", " ", [("a", isbn)]))
    all_fields.append(Field("100", " ", " ", [("a", "20200101d2020    em y0chiy50      ea")]))
    all_fields.append(Field("200", "1", " ", [("a", title)]))
    all_fields.extend(fields)
    return IncomingRecord(MarcRecord("00000nam0 2200000   450 ", all_fields), MarcFlavour.CNMARC, 1)


def holding(point: str, barcode: str | None, **extra: str) -> Field:
    subfields = [("a", point)] + ([("b", barcode)] if barcode else [])
    subfields += list(extra.items())
    return Field("905", " ", " ", subfields)


def test_saving_the_cnmarc_sample_stores_ten_records_with_their_isbns(uow: UoW) -> None:
    result = save(uow, sample("sample_cnmarcxml.xml"))
    assert (result.imported, result.updated, result.rejected) == (10, 0, 0)
    assert None not in result.record_ids
    with uow(readonly=True) as work:
        assert count(work.session, BibRecord) == 10
        assert count(work.session, BibIsbn) == 10
        record = work.session.get(BibRecord, result.record_ids[0])
        assert record is not None
        assert (record.title, record.isbn, record.clc) == (
            "'94中国发展报告",
            "9787503717444",
            "F124",
        )
        assert record.authors == ["叶震", "李强", "国家统计局"]
        assert record.source == "local"
        assert record.price_fen == 6800


def test_saving_the_same_records_again_updates_them_and_duplicates_nothing(uow: UoW) -> None:
    first = save(uow, sample("sample_cnmarcxml.xml"))
    again = save(uow, sample("sample_cnmarcxml.xml"))
    assert (again.imported, again.updated, again.unchanged) == (0, 10, 10)
    assert again.record_ids == first.record_ids
    # The same records exported as GB18030 ISO 2709: one 100 $a has blanks where the
    # XML has "#", so that one is rewritten; none is added.
    from_iso = save(uow, sample("cnmarc_bnu10_from_dp2_sru_sample.gb18030.iso"))
    assert (from_iso.imported, from_iso.updated, from_iso.unchanged) == (0, 10, 9)
    assert from_iso.record_ids == first.record_ids
    with uow(readonly=True) as work:
        assert count(work.session, BibRecord) == 10
        assert count(work.session, BibIsbn) == 10


def test_a_changed_record_is_rewritten_in_place(uow: UoW) -> None:
    (first_id,) = save(uow, [cnmarc("X1", "活着")]).record_ids
    result = save(uow, [cnmarc("X1", "活着（典藏版）")])
    assert (result.updated, result.unchanged, result.record_ids) == (1, 0, [first_id])
    with uow(readonly=True) as work:
        record = work.session.get(BibRecord, first_id)
        assert record is not None
        assert record.title == "活着（典藏版）"


def test_the_same_001_from_two_sources_is_two_records(uow: UoW) -> None:
    save(uow, [cnmarc("000001", "活着")], source="school")
    save(uow, [cnmarc("000001", "三体")], source="central")
    with uow(readonly=True) as work:
        assert count(work.session, BibRecord) == 2


def test_a_record_from_another_source_with_the_same_isbn_and_title_updates_the_existing_one(
    uow: UoW,
) -> None:
    (first_id,) = save(
        uow, [cnmarc("A1", "平凡的世界", isbn="978-7-02-003469-7")], source="a"
    ).record_ids
    result = save(uow, [cnmarc("B7", "平凡的世界", isbn="9787020034697")], source="b")
    assert (result.imported, result.updated, result.record_ids) == (0, 1, [first_id])
    with uow(readonly=True) as work:
        record = work.session.get(BibRecord, first_id)
        assert record is not None
        assert (record.source, record.control_number) == ("b", "B7")


def test_volumes_of_a_set_sharing_one_isbn_are_never_merged(uow: UoW) -> None:
    isbn = "978-7-101-00304-1"
    save(
        uow, [cnmarc("V1", "中国通史", Field("200", "1", " ", [("a", "x")]), isbn=isbn)], source="a"
    )
    volumes = [
        IncomingRecord(
            MarcRecord(
                "00000nam0 2200000   450 ",
                [
                    Field("010", " ", " ", [("a", isbn)]),
                    Field("200", "1", " ", [("a", "中国通史"), ("h", f"第{n}册")]),
                ],
            ),
            MarcFlavour.CNMARC,
            n,
        )
        for n in (1, 2)
    ]
    result = save(uow, volumes, source="b")
    assert result.imported == 2
    with uow(readonly=True) as work:
        assert count(work.session, BibRecord) == 3


def test_two_records_of_one_source_with_the_same_isbn_stay_two(uow: UoW) -> None:
    # the print book and the e-book, or two printings catalogued apart: the 001s differ
    isbn = "978-7-221-02968-3"
    save(uow, [cnmarc("P1", "'92中国备忘", isbn=isbn)], source="bnu")
    result = save(uow, [cnmarc("E1", "'92中国备忘", isbn=isbn)], source="bnu")
    assert result.imported == 1


def test_records_without_001_match_on_their_content(uow: UoW) -> None:
    first = save(uow, sample("marc.dat")[:3], source="pymarc")
    records = sample("marc.dat")[:3]
    for r in records:
        assert isinstance(r.record, MarcRecord)
        r.record.remove_tags("001", "005")
    save(uow, records, source="other")  # not the same 001s: matched by ISBN and title
    bare = [cnmarc(None, "无控制号的记录")]
    save(uow, bare)
    again = save(uow, [cnmarc(None, "无控制号的记录")])
    assert (again.imported, again.updated) == (0, 1)
    with uow(readonly=True) as work:
        assert count(work.session, BibRecord) == 4
    assert first.imported == 3


def test_duplicates_inside_one_batch_become_one_record(uow: UoW) -> None:
    result = save(uow, [cnmarc("D1", "三体"), cnmarc("D1", "三体（修订版）")])
    assert (result.imported, result.updated) == (1, 1)
    assert result.record_ids[0] == result.record_ids[1]
    with uow(readonly=True) as work:
        (title,) = work.session.scalars(select(BibRecord.title))
        assert title == "三体（修订版）"


def test_the_batch_size_does_not_change_what_is_saved(
    uow: UoW, wipe_catalogue: Callable[[], None]
) -> None:
    records = sample("marc21_chinese_sample_marcxml.xml") + sample("sample_cnmarcxml.xml")
    save(uow, records)
    with uow(readonly=True) as work:
        all_at_once = sorted(work.session.scalars(select(BibRecord.marc)))
    wipe_catalogue()
    for record in sample("marc21_chinese_sample_marcxml.xml") + sample("sample_cnmarcxml.xml"):
        save(uow, [record])
    with uow(readonly=True) as work:
        one_by_one = sorted(work.session.scalars(select(BibRecord.marc)))
    assert one_by_one == all_at_once


def test_holdings_become_items_at_their_points(uow: UoW, network: dict[str, int]) -> None:
    record = cnmarc(
        "H1",
        "乡村振兴实用技术",
        holding(
            "ZX",
            "A0000001",
            c="中文图书借阅区",
            d="S3",
            e="12",
            y="BOOK",
            p="CNY28.00",
            g="2020-05-06",
        ),
        holding("CC-V001", "CCV0010001", y="少儿图书", w="CC"),
    )
    result = save(uow, [record])
    assert (result.items_created, result.problems) == (2, [])
    with uow(readonly=True) as work:
        items = {i.barcode: i for i in work.session.scalars(select(Item))}
        central = items["A0000001"]
        assert (central.owning_point_id, central.current_point_id) == (network["ZX"], network["ZX"])
        assert (central.call_number, central.location, central.price_fen) == (
            "S3/12",
            "中文图书借阅区",
            2800,
        )
        assert central.status is ItemStatus.AVAILABLE
        village = items["CCV0010001"]
        assert (village.owning_point_id, village.current_point_id) == (
            network["CC-V001"],
            network["CC"],
        )
        child = work.session.get(ItemType, village.item_type_id)
        assert child is not None
        assert child.code == "CHILD"


def test_an_unknown_point_code_imports_the_record_but_not_the_item(
    uow: UoW, network: dict[str, int]
) -> None:
    result = save(uow, [cnmarc("H2", "三国演义", holding("XX", "A0000009"))])
    assert result.imported == 1
    assert result.items_created == 0
    (problem,) = result.problems
    assert (problem.kind, problem.control_number) == ("item", "H2")
    assert "XX" in problem.reason.en
    assert "wenjin network" in problem.reason.en


def test_a_copy_cannot_belong_to_the_network_root(uow: UoW, network: dict[str, int]) -> None:
    result = save(uow, [cnmarc("H3", "水浒传", holding("ZC", "A0000010"))])
    assert result.items_created == 0
    assert "network itself" in result.problems[0].reason.en


def test_re_importing_holdings_updates_the_description_but_not_circulation(
    uow: UoW, network: dict[str, int]
) -> None:
    save(uow, [cnmarc("H4", "西游记", holding("ZX", "A0000011", d="I242.4", e="1"))])
    with uow() as work:
        item = work.session.scalars(select(Item)).one()
        item.status = ItemStatus.ON_LOAN
        item.current_point_id = network["CC"]
        work.commit()
    result = save(uow, [cnmarc("H4", "西游记", holding("ZX", "A0000011", d="I242.4", e="2"))])
    assert (result.items_created, result.items_updated) == (0, 1)
    with uow(readonly=True) as work:
        item = work.session.scalars(select(Item)).one()
        assert item.call_number == "I242.4/2"
        assert item.status is ItemStatus.ON_LOAN
        assert item.current_point_id == network["CC"]
        assert item.version == 3  # the loan, then the re-import


def test_a_barcode_of_another_records_item_is_reported_not_moved(
    uow: UoW, network: dict[str, int]
) -> None:
    save(uow, [cnmarc("H5", "围城", holding("ZX", "A0000012"))])
    result = save(uow, [cnmarc("H6", "边城", holding("ZX", "A0000012"))])
    assert result.items_created == 0
    assert "already belongs to another record" in result.problems[0].reason.en


def test_items_at_gives_records_without_holdings_one_copy_with_a_generated_barcode(
    uow: UoW, network: dict[str, int]
) -> None:
    with uow() as work:
        at = work.session.get(ServicePoint, network["CC"])
        result = save_records(work.session, sample("marc.dat")[:5], items_at=at)
        work.commit()
    assert result.items_created == 5
    with uow() as work:
        at = work.session.get(ServicePoint, network["CC"])
        again = save_records(work.session, sample("marc.dat")[:5], items_at=at)
        work.commit()
    assert again.items_created == 0  # a re-run creates nothing twice
    with uow(readonly=True) as work:
        barcodes = sorted(work.session.scalars(select(Item.barcode)))
    assert barcodes == [f"W00000000{n}" for n in range(1, 6)]


def test_holdings_without_barcodes_under_items_at_are_counted_not_duplicated(
    uow: UoW, network: dict[str, int]
) -> None:
    copies = [holding("BNU", None, d="F124", e="26"), holding("BNU", None, d="F124", e="26")]
    for _ in range(2):
        with uow() as work:
            at = work.session.get(ServicePoint, network["BNU"])
            save_records(work.session, [cnmarc("H7", "'94中国发展报告", *copies)], items_at=at)
            work.commit()
    with uow(readonly=True) as work:
        call_numbers = list(work.session.scalars(select(Item.call_number)))
    assert call_numbers == ["F124/26", "F124/26"]


def test_a_generated_barcode_already_taken_by_hand_is_skipped(
    uow: UoW, network: dict[str, int]
) -> None:
    save(uow, [cnmarc("H8", "手工条码", holding("ZX", "W000000001"))])
    with uow() as work:
        at = work.session.get(ServicePoint, network["ZX"])
        save_records(work.session, [cnmarc("H9", "自动条码")], items_at=at)
        work.commit()
    with uow(readonly=True) as work:
        assert sorted(work.session.scalars(select(Item.barcode))) == ["W000000001", "W000000002"]


def test_pymarc_records_from_a_program_are_saved_like_read_ones(
    uow: UoW, network: dict[str, int]
) -> None:
    record = pymarc.Record(force_utf8=True)
    record.add_field(pymarc.Field(tag="001", data="ZC00000042"))
    record.add_field(pymarc.Field(tag="008", data="200101s2020    cc            000 0 chi d"))
    record.add_field(
        pymarc.Field(
            tag="245",
            indicators=pymarc.Indicators("1", "0"),
            subfields=[pymarc.Subfield("a", "Python编程 :"), pymarc.Subfield("b", "从入门到实践")],
        )
    )
    record.add_field(
        pymarc.Field(
            tag="952",
            indicators=pymarc.Indicators(" ", " "),
            subfields=[
                pymarc.Subfield(c, v) for c, v in (("a", "ZX"), ("p", "A0000042"), ("y", "BOOK"))
            ],
        )
    )
    result = save(uow, [IncomingRecord(record, MarcFlavour.MARC21, 1)], source="demo")
    assert (result.imported, result.items_created) == (1, 1)
    with uow(readonly=True) as work:
        (title,) = work.session.scalars(select(BibRecord.title))
        assert title == "Python编程：从入门到实践"


def test_the_default_item_types_are_created_once(uow: UoW) -> None:
    with uow() as work:
        ensure_default_item_types(work.session)
        ensure_default_item_types(work.session)
        work.commit()
    with uow(readonly=True) as work:
        types = {t.code: t.lendable for t in work.session.scalars(select(ItemType))}
    assert types == {
        "BOOK": True,
        "CHILD": True,
        "REF": False,
        "PERIODICAL": True,
        "AV": True,
        "LOCAL": False,
    }


@pytest.mark.parametrize("bad", ["", "   "])
def test_a_record_refused_is_reported_with_its_position(uow: UoW, bad: str) -> None:
    record = IncomingRecord(
        MarcRecord("00000nam a2200000   4500", [Field("245", "1", "0", [("a", bad)])]),
        MarcFlavour.MARC21,
        12,
        offset=3456,
        raw=b"raw record",
    )
    result = save(uow, [record, *sample("one.json")])
    assert (result.imported, result.rejected) == (1, 1)
    assert result.record_ids[0] is None
    problem = result.problems[0]
    assert (problem.position, problem.offset, problem.raw) == (12, 3456, b"raw record")
