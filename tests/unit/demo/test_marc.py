"""Demo titles as MARC: CNMARC the way Chinese systems write it, MARC21 with 880s, holdings fields."""

from __future__ import annotations

import io
import re

import pytest
from pymarc import MARCReader, Record

from wenjin.catalog.states import MarcFlavour
from wenjin.demo.catalog import GeneratedRecord, generate_catalogue
from wenjin.demo.network import demo_network
from wenjin.demo.scales import SCALES


@pytest.fixture(scope="module")
def generated() -> list[GeneratedRecord]:
    return list(generate_catalogue(demo_network(2020), scale=SCALES["small"], seed=2020))


def _first(
    generated: list[GeneratedRecord], *, flavour: MarcFlavour, english: bool
) -> GeneratedRecord:
    return next(g for g in generated if g.flavour is flavour and g.title.english is english)


def test_most_records_are_cnmarc_and_the_english_ones_marc21(
    generated: list[GeneratedRecord],
) -> None:
    cnmarc = sum(1 for g in generated if g.flavour is MarcFlavour.CNMARC)
    assert cnmarc > 0.85 * len(generated)
    assert all(g.flavour is MarcFlavour.MARC21 for g in generated if g.title.english)
    assert [g.control_number for g in generated[:3]] == ["ZC00000001", "ZC00000002", "ZC00000003"]


def test_a_cnmarc_record_declares_unicode_and_carries_price_class_and_pinyin(
    generated: list[GeneratedRecord],
) -> None:
    g = generated[0]  # 红楼梦
    record = g.record
    assert record["001"].data == "ZC00000001"
    general = record["100"]["a"]
    assert len(general) == 36
    assert general[26:30] == "50  "
    assert general[8:13] == "d2008"
    assert record["010"]["a"] == "978-7-02-000220-7"
    assert re.fullmatch(r"CNY\d+\.\d\d", record["010"]["d"])
    assert record["200"]["a"] == "红楼梦"
    assert record["200"]["A"] == "Hong Lou Meng"
    assert record["200"]["f"] == "曹雪芹著"
    assert record["210"]["c"] == "人民文学出版社"
    assert record["690"]["a"] == "I242.47"
    assert record["701"]["A"] == "Cao Xue Qin"


def test_cnmarc_copies_are_905_fields_with_barcode_point_and_call_number(
    generated: list[GeneratedRecord],
) -> None:
    g = generated[0]
    fields = g.record.get_fields("905")
    assert len(fields) == len(g.holdings)
    for field, holding in zip(fields, g.holdings, strict=True):
        assert field["a"] == holding.home
        assert field["b"] == holding.barcode
        assert field["s"] == holding.call_number == f"{field['d']}/{field['e']}"
        assert field["y"] == holding.item_type
        assert field["g"] == holding.acquired_on.isoformat()
        assert field.get("w") == (holding.current if holding.current != holding.home else None)


def test_an_english_record_is_marc21_with_clc_and_952_copies(
    generated: list[GeneratedRecord],
) -> None:
    g = _first(generated, flavour=MarcFlavour.MARC21, english=True)
    record = g.record
    assert record.leader[9] == "a"
    assert len(record["008"].data) == 40
    assert record["008"].data[35:38] == "eng"
    assert record["084"]["2"] == "clc"
    assert record["245"]["a"].endswith("/")
    copies = record.get_fields("952")
    assert [f["p"] for f in copies] == [h.barcode for h in g.holdings]
    assert all(f["a"] and f["b"] and f["o"] and f["y"] for f in copies)


def test_a_chinese_marc21_record_links_romanised_fields_to_880s(
    generated: list[GeneratedRecord],
) -> None:
    g = _first(generated, flavour=MarcFlavour.MARC21, english=False)
    record = g.record
    assert record["008"].data[35:38] == "chi"
    title = record["245"]
    vernacular = {f["6"][:6]: f for f in record.get_fields("880")}
    link = title["6"]
    assert link.startswith("880-")
    assert vernacular[f"245-{link[4:]}"]["a"].startswith(g.title.title)
    assert title["a"].isascii()


def test_records_survive_iso2709_and_read_back_in_pymarc(generated: list[GeneratedRecord]) -> None:
    data = b"".join(g.record.as_marc() for g in generated[:200])
    back: list[Record] = list(MARCReader(io.BytesIO(data), to_unicode=True, force_utf8=True))
    assert [r["001"].data for r in back] == [g.control_number for g in generated[:200]]
    assert back[0]["200"]["a"] == "红楼梦"


def test_the_same_seed_gives_the_same_records_byte_for_byte() -> None:
    def first_records() -> list[bytes]:
        catalogue = generate_catalogue(
            demo_network(2020), scale=SCALES["small"], seed=2020, count=150
        )
        return [g.record.as_marc() for g in catalogue]

    assert first_records() == first_records()
