"""The crosswalk: a record converted to the other flavour says the same things."""

from __future__ import annotations

from pathlib import Path

import pytest

from wenjin.catalog.marc.crosswalk import convert, to_cnmarc, to_marc21
from wenjin.catalog.marc.extract import Extracted, extract
from wenjin.catalog.marc.reading import IncomingRecord, read_marc
from wenjin.catalog.marc.record import Field, MarcRecord
from wenjin.catalog.states import MarcFlavour

DATA = Path(__file__).resolve().parents[2] / "data" / "marc"


def sample(name: str) -> list[MarcRecord]:
    out = []
    for r in read_marc(DATA / name):
        assert isinstance(r, IncomingRecord)
        assert isinstance(r.record, MarcRecord)
        out.append(r.record)
    return out


def essentials(e: Extracted) -> dict[str, object]:
    """What both flavours carry; names without the fuller forms MARC21 puts in $q."""
    return {
        "title": e.title,
        "isbn": e.isbn,
        "authors": {name.split(" (")[0] for name in e.authors},
        "publisher": e.publisher,
        "pub_place": e.pub_place,
        "language": e.language,
        "clc": e.clc,
        "subjects": sorted(e.subjects),
        "price_fen": e.price_fen,
        "edition": e.edition,
        "title_pinyin": e.title_pinyin,
    }


@pytest.mark.parametrize("name", ["sample_cnmarcxml.xml", "testunimarc.dat"])
def test_cnmarc_to_marc21_keeps_the_main_fields(name: str) -> None:
    for record in sample(name):
        before = extract(record, MarcFlavour.CNMARC)
        after = extract(to_marc21(record), MarcFlavour.MARC21)
        # MARC21 adds the romanised names of a Chinese record beside the vernacular
        expected = essentials(before)
        got = essentials(after)
        assert got.pop("authors") >= expected.pop("authors")  # type: ignore[operator]
        assert got == expected
        assert after.year == before.year
        assert after.responsibility == before.responsibility
        assert after.series == before.series


@pytest.mark.parametrize(
    "name", ["marc.dat", "marc21_chinese_sample_marcxml.xml", "multi_isbn.dat"]
)
def test_marc21_to_cnmarc_keeps_the_main_fields(name: str) -> None:
    for record in sample(name):
        before = essentials(extract(record, MarcFlavour.MARC21))
        after = essentials(extract(to_cnmarc(record), MarcFlavour.CNMARC))
        assert after == before


def test_pinyin_in_cnmarc_becomes_a_romanised_245_with_its_vernacular_880() -> None:
    record = sample("sample_cnmarcxml.xml")[0]
    marc21 = to_marc21(record)
    title = marc21.first("245")
    assert title is not None
    link = title.get("6") or ""
    assert link.startswith("880-")
    (vernacular,) = [f for f in marc21.get_fields("880") if f.get("6") == f"245-{link[4:]}/$1"]
    assert vernacular.get("a") == "'94中国发展报告"
    assert marc21.leader[9] == "a"
    assert marc21.leader[18] == "c"  # ISBD punctuation omitted


def test_a_round_trip_through_the_other_flavour_keeps_the_main_fields() -> None:
    for record in sample("sample_cnmarcxml.xml"):
        before = essentials(extract(record, MarcFlavour.CNMARC))
        twice = to_cnmarc(to_marc21(record))
        assert essentials(extract(twice, MarcFlavour.CNMARC)) == before


def test_the_year_of_008_goes_into_100a_and_the_publication_date_into_210d() -> None:
    for record in sample("marc.dat"):
        before = extract(record, MarcFlavour.MARC21)
        cnmarc = to_cnmarc(record)
        general = (cnmarc.first("100") or Field("100")).get("a") or ""
        assert general[9:13] == (record.control("008") or "")[7:11]
        assert extract(cnmarc, MarcFlavour.CNMARC).year in {before.year, _year_of_260(record)}


def _year_of_260(record: MarcRecord) -> int | None:
    found = record.first("260")
    text = (found.get("c") if found else None) or ""
    digits = "".join(ch for ch in text if ch.isdigit())[:4]
    return int(digits) if digits else None


def test_the_100a_written_for_cnmarc_is_36_characters_and_says_unicode() -> None:
    for record in sample("marc.dat"):
        general = to_cnmarc(record).first("100")
        assert general is not None
        value = general.get("a") or ""
        assert len(value) == 36
        assert value[26:30] == "50  "


def test_converting_to_the_same_flavour_changes_nothing() -> None:
    record = sample("marc.dat")[0]
    assert convert(record, MarcFlavour.MARC21, MarcFlavour.MARC21) is record
