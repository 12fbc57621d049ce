"""Reading MARC files: every trap in the shared test data, one record at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from wenjin.catalog.marc.reading import (
    IncomingRecord,
    MarcFile,
    MarcFileUnreadable,
    UnreadableRecord,
    read_marc,
    sniff_format,
)
from wenjin.catalog.marc.record import MarcRecord
from wenjin.catalog.states import MarcFlavour

DATA = Path(__file__).resolve().parents[2] / "data" / "marc"


def read(name: str, **options: object) -> list[IncomingRecord | UnreadableRecord]:
    return read_marc(DATA / name, **options)  # type: ignore[arg-type]


def records(name: str, **options: object) -> list[IncomingRecord]:
    results = read(name, **options)
    assert all(isinstance(r, IncomingRecord) for r in results), results
    return results  # type: ignore[return-value]


def record_of(result: IncomingRecord | UnreadableRecord) -> MarcRecord:
    assert isinstance(result, IncomingRecord), result
    assert isinstance(result.record, MarcRecord)
    return result.record


def subfield(record: MarcRecord, tag: str, code: str) -> str | None:
    found = record.first(tag)
    return found.get(code) if found is not None else None


# --- character sets ---


def test_unimarc_with_a_blank_leader_9_is_read_in_the_character_set_its_100a_declares() -> None:
    (result,) = records("testunimarc.dat")
    record = record_of(result)
    assert result.flavour is MarcFlavour.CNMARC
    assert record.leader[9] == " "
    # UTF-8, with the UNIMARC non-sort markers NSB/NSE around the article
    assert subfield(record, "200", "a") == "\x88L'\x89altra faccia della spirale"


def test_cnmarc_in_gb18030_and_in_utf8_read_to_the_same_chinese_text() -> None:
    gb = [record_of(r) for r in records("cnmarc_bnu10_from_dp2_sru_sample.gb18030.iso")]
    utf8 = [record_of(r) for r in records("cnmarc_bnu10_from_dp2_sru_sample.utf8.iso")]
    assert len(gb) == len(utf8) == 10
    for a, b in zip(gb, utf8, strict=True):
        assert subfield(a, "200", "a") == subfield(b, "200", "a")
        assert [f.tag for f in a] == [f.tag for f in b]
        assert a.get_fields("701") == b.get_fields("701")
    assert subfield(gb[0], "200", "a") == "'94中国发展报告"
    assert subfield(gb[0], "100", "a")[26:30] == "0120"  # type: ignore[index]


def test_a_cnmarc_leader_with_dashes_for_blanks_is_read() -> None:
    first = record_of(records("cnmarc_bnu10_from_dp2_sru_sample.utf8.iso")[0])
    assert first.leader == "01642nam0-2200445---4500"


def test_cyrillic_in_cp1251_with_a_blank_leader_9_is_rejected_and_named() -> None:
    results = read("1251.dat")
    assert len(results) == 6
    assert all(isinstance(r, UnreadableRecord) for r in results)
    first = results[0]
    assert isinstance(first, UnreadableRecord)
    assert first.control_number == "ru03-000001RKP"
    assert "not valid MARC-8" in first.reason.en
    assert "--encoding" in first.reason.en
    assert "--encoding" in first.reason.zh


def test_cyrillic_in_cp1251_reads_when_the_encoding_is_given() -> None:
    first = record_of(records("1251.dat", encoding="cp1251")[0])
    title = subfield(first, "245", "a") or ""
    assert any("\u0400" <= char <= "\u04ff" for char in title)


def test_invalid_utf8_rejects_that_record_only_and_names_the_field_and_byte() -> None:
    first, broken, third = read("marc21_invalid_utf8.mrc")
    assert isinstance(first, IncomingRecord)
    assert isinstance(third, IncomingRecord)
    assert isinstance(broken, UnreadableRecord)
    assert broken.position == 2
    assert broken.offset == 1123
    assert "field 245" in broken.reason.en
    assert "FF" in broken.reason.en
    assert "字段 245" in broken.reason.zh
    assert broken.raw is not None
    assert broken.raw.startswith(b"01123")
    assert third.offset == 2246


def test_a_bad_marc8_escape_rejects_the_record() -> None:
    (result,) = read("bad_marc8_escape.dat")
    assert isinstance(result, UnreadableRecord)
    assert "invalid escape sequence" in result.reason.en


def test_an_unknown_east_asian_marc8_character_rejects_the_record() -> None:
    (result,) = read("bad_eacc_encoding.dat")
    assert isinstance(result, UnreadableRecord)
    assert "EACC" in result.reason.en


def test_utf8_with_a_blank_leader_9_is_read_as_utf8_and_reported_as_recovered() -> None:
    (without_flag,) = records("utf8_without_leader_flag.dat")
    (with_flag,) = records("utf8_with_leader_flag.dat")
    assert record_of(without_flag).get_fields("245") == record_of(with_flag).get_fields("245")
    assert any("read as UTF-8" in note.en for note in without_flag.notes)
    assert with_flag.notes == []


def test_marc8_diacritics_become_precomposed_unicode() -> None:
    (result,) = records("marc8.dat")
    assert subfield(record_of(result), "240", "a") == "De la solitude \u00e0 la communaut\u00e9."


# --- broken ISO 2709 ---


def test_broken_iso2709_records_are_recovered_or_rejected_and_the_reader_resynchronises() -> None:
    results = read("bad_records.mrc")
    assert [r.position for r in results] == [1, 2, 3, 4, 5, 6, 7, 8]
    outcome = {
        r.position: (
            "rejected" if isinstance(r, UnreadableRecord) else "ok" if not r.notes else "recovered"
        )
        for r in results
    }
    assert outcome == {
        1: "ok",
        2: "recovered",  # base address beyond the record
        3: "recovered",  # base address zero
        4: "recovered",  # directory one byte too long
        5: "recovered",  # garbage in the directory's length and offset
        6: "recovered",  # a letter in the base address
        7: "rejected",  # no fields at all
        8: "ok",
    }
    for r in results:
        if isinstance(r, IncomingRecord):
            assert subfield(record_of(r), "245", "a") == "The pragmatic programmer : "
    rejected = results[6]
    assert isinstance(rejected, UnreadableRecord)
    assert rejected.offset == 764
    assert "no fields" in rejected.reason.en


def test_a_wrong_record_length_and_an_accented_subfield_code_are_repaired() -> None:
    (result,) = records("bad_subfield_code.dat")
    notes = " ".join(note.en for note in result.notes)
    assert "record length in the leader (755) is wrong" in notes
    assert "subfield code 'á'; read as 'a'" in notes
    assert subfield(record_of(result), "245", "a") == "ActivePerl with ASP and ADO /"


def test_padding_after_a_record_is_skipped_and_missing_indicators_become_blanks() -> None:
    (result,) = records("bad_indicator.dat")
    record = record_of(result)
    odd = record.first("0 2")
    assert odd is not None
    assert (odd.ind1, odd.ind2) == (" ", " ")
    assert odd.get("a") == "9780253325525 (alk. paper)"


def test_a_replacement_character_as_subfield_code_rejects_the_record() -> None:
    (result,) = read("utf8_invalid.mrc")
    assert isinstance(result, UnreadableRecord)
    assert "U+FFFD" in result.reason.en
    assert result.control_number == "144917"


def test_iso2709_offsets_are_the_byte_positions_of_the_records() -> None:
    results = records("cnmarc_bnu10_from_dp2_sru_sample.gb18030.iso")
    data = (DATA / "cnmarc_bnu10_from_dp2_sru_sample.gb18030.iso").read_bytes()
    for r in results:
        assert r.offset is not None
        length = int(data[r.offset : r.offset + 5])
        assert r.raw == data[r.offset : r.offset + length]


# --- MARCXML ---


def test_one_bad_record_in_a_marcxml_file_is_named_and_the_others_are_read() -> None:
    results = read("cnmarc_one_bad_record.xml")
    assert len(results) == 10
    bad = [r for r in results if isinstance(r, UnreadableRecord)]
    assert [r.position for r in bad] == [5]
    assert bad[0].control_number == "990001379280203961"
    assert "line 654" in bad[0].reason.en
    assert "第 654 行" in bad[0].reason.zh


def test_sru_responses_are_read_inside_their_wrappers_with_upper_case_subfield_codes() -> None:
    results = records("sample_cnmarcxml.xml")
    assert len(results) == 10
    assert {r.flavour for r in results} == {MarcFlavour.CNMARC}
    title = record_of(results[0]).first("200")
    assert title is not None
    assert title.subfields[:2] == [("a", "'94中国发展报告"), ("A", "'94Zhong Guo Fa Zhan Bao Gao")]


def test_the_unimarc_slim_namespace_reads_like_the_cnmarc_one() -> None:
    unimarc = [record_of(r) for r in records("sample_unimarcxml.xml")]
    cnmarc = [record_of(r) for r in records("sample_cnmarcxml.xml")]
    assert unimarc == cnmarc


def test_marcxml_with_a_namespace_prefix_declared_on_the_collection_is_read() -> None:
    results = records("batch.xml")
    assert len(results) == 2
    assert {r.flavour for r in results} == {MarcFlavour.MARC21}


def test_chinese_marc21_marcxml_keeps_local_alphabetic_tags() -> None:
    results = records("marc21_chinese_sample_marcxml.xml")
    assert len(results) == 10
    assert record_of(results[1]).get_fields("AVA")


def test_a_marcxml_leader_of_the_wrong_length_is_rejected() -> None:
    (result,) = read("bad_tag.xml")
    assert isinstance(result, UnreadableRecord)
    assert "17 characters" in result.reason.en


# --- MARC-in-JSON ---


def test_marc_in_json_reads_one_object_an_array_or_one_object_per_line() -> None:
    assert len(records("one.json")) == 1
    array = [record_of(r) for r in records("batch.json")]
    lines = [record_of(r) for r in records("batch_lines.json")]
    assert len(array) == 2
    assert array == lines


def test_a_json_object_that_is_not_a_record_is_rejected_with_its_position() -> None:
    results = read_marc(b'[{"leader": "00000nam a2200000   4500", "fields": []}, {"fields": 3}]')
    assert isinstance(results[0], IncomingRecord)
    assert isinstance(results[1], UnreadableRecord)
    assert results[1].position == 2
    assert "leader" in results[1].reason.en


# --- files ---


def test_a_file_that_is_not_marc_cannot_be_read(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("借书须知\n", encoding="utf-8")
    with pytest.raises(MarcFileUnreadable, match="not a MARC file"):
        MarcFile(text)


def test_an_empty_or_missing_file_cannot_be_read(tmp_path: Path) -> None:
    empty = tmp_path / "empty.mrc"
    empty.write_bytes(b"")
    with pytest.raises(MarcFileUnreadable, match="empty"):
        MarcFile(empty)
    with pytest.raises(MarcFileUnreadable, match="cannot open"):
        MarcFile(tmp_path / "missing.mrc")


def test_the_format_is_sniffed_from_the_first_bytes() -> None:
    assert sniff_format(b"\xef\xbb\xbf<?xml version='1.0'?>") == "marcxml"
    assert sniff_format(b"  [{") == "json"
    assert sniff_format(b"01234nam a2200000   4500") == "iso2709"


def test_a_given_flavour_overrides_detection() -> None:
    (result,) = records("one.json", flavour=MarcFlavour.CNMARC)
    assert result.flavour is MarcFlavour.CNMARC


def test_marcxml_declared_in_gb2312_is_read_as_gb18030() -> None:
    text = (DATA / "sample_cnmarcxml.xml").read_text(encoding="utf-8-sig")
    gb = text.replace('encoding="UTF-8"', 'encoding="GB2312"').encode("gb18030")
    results = read_marc(gb)
    assert len(results) == 10
    assert subfield(record_of(results[0]), "200", "a") == "'94中国发展报告"


def test_a_json_line_that_is_not_json_is_rejected_and_the_next_line_read() -> None:
    lines = (DATA / "batch_lines.json").read_text(encoding="utf-8").splitlines()
    broken = "\n".join([lines[0], '{"leader": "00000nam a2200000   4500", "fields": [', lines[1]])
    results = read_marc(broken.encode())
    assert [type(r).__name__ for r in results] == [
        "IncomingRecord",
        "UnreadableRecord",
        "IncomingRecord",
    ]
    assert "line 2" in results[1].reason.en  # type: ignore[union-attr]
