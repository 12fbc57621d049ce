"""The catalogue's rules: barcodes, prices, item types, matching keys."""

from __future__ import annotations

import pytest

from wenjin.catalog.errors import InvalidBarcode, InvalidPrice
from wenjin.catalog.marc.record import Field, MarcRecord
from wenjin.catalog.rules import (
    check_barcode,
    format_yuan,
    generated_barcode,
    item_type_code_for,
    parse_yuan,
    price_fen_from_record,
    record_fingerprint,
    record_source,
    title_key,
)

KNOWN = {"BOOK", "CHILD", "REF", "PERIODICAL", "AV", "LOCAL"}


@pytest.mark.parametrize("barcode", ["A0012345", "ZX-V001-0001", "1234", "X" * 32])
def test_barcodes_a_scanner_produces_are_accepted(barcode: str) -> None:
    assert check_barcode(barcode) == barcode


@pytest.mark.parametrize(
    ("barcode", "why"),
    [
        ("A12", "4–32"),
        ("X" * 33, "4–32"),
        ("A001 2345", "space"),
        ("A001\t2345", "printable ASCII"),
        ("条码00123", "printable ASCII"),
    ],
)
def test_barcodes_with_spaces_controls_or_odd_lengths_are_refused(barcode: str, why: str) -> None:
    with pytest.raises(InvalidBarcode) as raised:
        check_barcode(barcode)
    assert why in raised.value.message_en or why in raised.value.message_zh


def test_generated_barcodes_are_a_letter_and_nine_digits() -> None:
    assert generated_barcode(42) == "W000000042"


@pytest.mark.parametrize(
    ("typed", "fen"),
    [
        ("45.80", 4580),
        ("45.8", 4580),
        ("45", 4500),
        ("¥45.80", 4580),
        ("CNY45.80", 4580),
        ("45元", 4500),
        ("0.05", 5),
    ],
)
def test_a_price_typed_in_yuan_becomes_fen_without_floats(typed: str, fen: int) -> None:
    assert parse_yuan(typed) == fen


@pytest.mark.parametrize("typed", ["45.805", "-3", "forty", "", "4,580"])
def test_a_price_that_is_not_yuan_is_refused(typed: str) -> None:
    with pytest.raises(InvalidPrice):
        parse_yuan(typed)


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("CNY68.00", 6800),
        ("CNY赠90.00", 9000),
        ("68.00元", 6800),
        ("45.80", 4580),
        ("£20.00", None),
        ("USD25.00", None),
        ("$25", None),
        ("赠", None),
        (None, None),
    ],
)
def test_a_records_price_counts_only_in_yuan(text: str | None, fen: int | None) -> None:
    assert price_fen_from_record(text) == fen


def test_yuan_are_shown_with_two_decimals() -> None:
    assert format_yuan(4580) == "45.80"
    assert format_yuan(5) == "0.05"


@pytest.mark.parametrize(
    ("given", "code"),
    [
        (None, "BOOK"),
        ("BOOK", "BOOK"),
        ("child", "CHILD"),
        ("BK", "BOOK"),
        ("少儿图书", "CHILD"),
        ("CR", "PERIODICAL"),
        ("MX", None),
    ],
)
def test_holdings_item_types_map_onto_wenjins(given: str | None, code: str | None) -> None:
    assert item_type_code_for(given, KNOWN) == code


def test_the_title_key_ignores_punctuation_case_and_width_but_keeps_volumes() -> None:
    assert title_key("中国发展报告：1994") == title_key("中国发展报告 1994")
    assert title_key("Ｐｙｔｈｏｎ Cookbook") == title_key("python cookbook")
    assert title_key("中国通史. 第1册") != title_key("中国通史. 第2册")
    assert title_key("'92中国备忘") != title_key("'92中国备忘", "电子资源")


def record(*fields: Field) -> MarcRecord:
    return MarcRecord("00000nam a2200000   4500", list(fields))


def test_the_fingerprint_ignores_the_control_fields_that_change_on_every_export() -> None:
    title = Field("245", "1", "0", [("a", "平凡的世界")])
    a = record(Field("001", data="1"), Field("005", data="20200101"), title)
    b = record(Field("001", data="2"), Field("005", data="20240101"), title)
    c = record(Field("001", data="1"), Field("245", "1", "0", [("a", "活着")]))
    assert record_fingerprint(a) == record_fingerprint(b)
    assert record_fingerprint(a) != record_fingerprint(c)


def test_the_source_is_the_one_given_else_003_else_local() -> None:
    with_003 = record(Field("003", data="ZCL"))
    assert record_source("dp2", with_003) == "dp2"
    assert record_source(None, with_003) == "ZCL"
    assert record_source(None, record()) == "local"
