"""Holdings fields: what 952, 852 and 905 say about a copy, and writing items back."""

from __future__ import annotations

from datetime import date

import pytest

from wenjin.catalog.marc.holdings import ItemForExport, holdings_field, parse_holding
from wenjin.catalog.marc.record import Field
from wenjin.catalog.states import ItemStatus, MarcFlavour


def test_koha_952_gives_points_barcode_call_number_type_price_and_date() -> None:
    h = parse_holding(
        Field(
            "952",
            subfields=[
                ("a", "ZX"),
                ("b", "CC"),
                ("c", "中文图书借阅区"),
                ("d", "2019-03-05"),
                ("g", "45.80"),
                ("o", "I247.5/1234"),
                ("p", "A0012345"),
                ("y", "BK"),
            ],
        )
    )
    assert (h.owning_code, h.current_code, h.barcode) == ("ZX", "CC", "A0012345")
    assert (h.location, h.call_number, h.item_type) == ("中文图书借阅区", "I247.5/1234", "BK")
    assert (h.price_fen, h.acquired_on, h.status) == (4580, date(2019, 3, 5), None)


@pytest.mark.parametrize(
    ("flags", "status"),
    [
        ([("0", "1")], ItemStatus.WITHDRAWN),
        ([("1", "1")], ItemStatus.LOST),
        ([("1", "4")], ItemStatus.MISSING),
        ([("4", "1")], ItemStatus.DAMAGED),
        ([("7", "-1")], ItemStatus.PROCESSING),
        ([("7", "1")], None),  # not for loan is the item type's business
    ],
)
def test_koha_status_flags_become_item_statuses(
    flags: list[tuple[str, str]], status: ItemStatus | None
) -> None:
    h = parse_holding(Field("952", subfields=[("a", "ZX"), ("p", "A0000001"), *flags]))
    assert h.status is status


def test_cnmarc_905_builds_the_call_number_from_class_and_book_number() -> None:
    h = parse_holding(
        Field(
            "905",
            subfields=[
                ("a", "ZX"),
                ("b", "A0000001"),
                ("c", "基藏库"),
                ("d", "F124"),
                ("e", "26"),
                ("f", "第2卷"),
            ],
        )
    )
    assert (h.owning_code, h.barcode, h.location) == ("ZX", "A0000001", "基藏库")
    assert (h.call_number, h.volume) == ("F124/26", "第2卷")


def test_cnmarc_905_prefers_the_whole_call_number_in_s() -> None:
    h = parse_holding(
        Field("905", subfields=[("a", "BNU"), ("d", "F124"), ("e", "26"), ("s", "F124/26")])
    )
    assert h.call_number == "F124/26"
    assert h.barcode is None
    assert h.describes_a_copy


def test_marc21_852_point_location_and_call_number() -> None:
    h = parse_holding(
        Field(
            "852",
            subfields=[
                ("a", "诸城市图书馆"),
                ("b", "ZX"),
                ("c", "地方文献室"),
                ("h", "K295.24"),
                ("i", "Z58"),
                ("p", "L0000007"),
            ],
        )
    )
    assert (h.owning_code, h.location, h.call_number, h.barcode) == (
        "ZX",
        "地方文献室",
        "K295.24 Z58",
        "L0000007",
    )


def test_a_serial_pattern_852_describes_no_copy() -> None:
    assert not parse_holding(Field("852", subfields=[("x", "universal pattern")])).describes_a_copy


def test_a_foreign_price_or_an_odd_date_is_left_out_and_reported() -> None:
    h = parse_holding(
        Field("952", subfields=[("a", "ZX"), ("p", "A1"), ("g", "USD 25"), ("d", "last spring")])
    )
    assert h.price_fen is None
    assert h.acquired_on is None
    assert len(h.problems) == 2
    assert all(" / " in problem for problem in h.problems)


@pytest.mark.parametrize("flavour", [MarcFlavour.MARC21, MarcFlavour.CNMARC])
@pytest.mark.parametrize(
    "status",
    [
        ItemStatus.AVAILABLE,
        ItemStatus.LOST,
        ItemStatus.MISSING,
        ItemStatus.DAMAGED,
        ItemStatus.WITHDRAWN,
        ItemStatus.PROCESSING,
    ],
)
def test_an_exported_holdings_field_reads_back_as_the_same_copy(
    flavour: MarcFlavour, status: ItemStatus
) -> None:
    item = ItemForExport(
        barcode="A0012345",
        owning_code="ZX",
        current_code="CC",
        location="少儿借阅区",
        call_number="I287.5/12",
        volume="第3册",
        item_type="CHILD",
        price_fen=2590,
        acquired_on=date(2020, 6, 1),
        status=status,
        floating=True,
    )
    h = parse_holding(holdings_field(item, flavour))
    assert h.problems == []
    assert (h.barcode, h.owning_code, h.current_code) == ("A0012345", "ZX", "CC")
    assert (h.location, h.call_number, h.volume, h.item_type) == (
        "少儿借阅区",
        "I287.5/12",
        "第3册",
        "CHILD",
    )
    assert (h.price_fen, h.acquired_on, h.floating) == (2590, date(2020, 6, 1), True)
    assert (h.status or ItemStatus.AVAILABLE) is status
