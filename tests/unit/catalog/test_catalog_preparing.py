"""Preparing a record for storage: normalised, holdings out, keys computed."""

from __future__ import annotations

from pathlib import Path

import pymarc

from wenjin.catalog.marc.reading import IncomingRecord, read_marc
from wenjin.catalog.marc.record import Field, MarcRecord
from wenjin.catalog.preparing import BIB_COLUMNS, PreparedRecord, RecordProblem, prepare_record
from wenjin.catalog.states import MarcFlavour

DATA = Path(__file__).resolve().parents[2] / "data" / "marc"


def first(name: str) -> IncomingRecord:
    result = read_marc(DATA / name)[0]
    assert isinstance(result, IncomingRecord)
    return result


def prepared(incoming: IncomingRecord, **options: object) -> PreparedRecord:
    outcome = prepare_record(0, incoming, **options)  # type: ignore[arg-type]
    assert isinstance(outcome, PreparedRecord), outcome
    return outcome


def stored(p: PreparedRecord) -> MarcRecord:
    return MarcRecord.from_json(p.marc_json)


def test_a_gb18030_cnmarc_record_is_stored_saying_unicode_with_a_clean_leader() -> None:
    p = prepared(first("cnmarc_bnu10_from_dp2_sru_sample.gb18030.iso"))
    record = stored(p)
    assert record.leader == "00000nam0 2200000   4500"
    general = record.first("100")
    assert general is not None
    assert (general.get("a") or "")[26:30] == "50  "
    assert p.bib_values[BIB_COLUMNS.index("flavour")] == "cnmarc"
    assert p.bib_values[BIB_COLUMNS.index("title")] == "'94中国发展报告"


def test_a_marc8_record_is_stored_with_leader_9_a() -> None:
    record = stored(prepared(first("marc8.dat")))
    assert record.leader[9] == "a"
    assert record.leader[:5] == "00000"


def test_holdings_fields_are_taken_out_of_the_stored_record_and_become_holdings() -> None:
    p = prepared(first("sample_cnmarcxml.xml"))
    assert [f.tag for f in p.holdings] == ["905"]
    assert p.holdings[0].get("a") == "BNU"
    assert stored(p).get_fields("905") == []
    assert stored(p).get_fields("906")  # other local fields stay


def test_a_serial_pattern_852_stays_in_the_record() -> None:
    record = MarcRecord(
        "00000cas a2200000   4500",
        [
            Field("245", "0", "0", [("a", "Acta amazonica.")]),
            Field("852", " ", " ", [("x", "universal pattern")]),
        ],
    )
    p = prepared(IncomingRecord(record, MarcFlavour.MARC21, 1))
    assert p.holdings == []
    assert stored(p).get_fields("852")


def test_control_characters_are_removed_and_the_repair_reported() -> None:
    record = MarcRecord("00000nam a2200000   4500", [Field("245", "1", "0", [("a", "活\x0b着")])])
    p = prepared(IncomingRecord(record, MarcFlavour.MARC21, 7))
    assert stored(p).first("245").get("a") == "活着"  # type: ignore[union-attr]
    assert [(problem.kind, problem.position) for problem in p.problems] == [("recovered", 7)]


def test_a_record_without_a_title_is_rejected_with_its_raw_bytes() -> None:
    record = MarcRecord(
        "00000nam a2200000   4500",
        [Field("001", data="X1"), Field("500", " ", " ", [("a", "no title")])],
    )
    outcome = prepare_record(0, IncomingRecord(record, MarcFlavour.MARC21, 3, 99, raw=b"raw"))
    assert isinstance(outcome, RecordProblem)
    assert outcome.rejected
    assert (outcome.position, outcome.offset, outcome.control_number, outcome.raw) == (
        3,
        99,
        "X1",
        b"raw",
    )
    assert "no title" in outcome.reason.en


def test_a_pymarc_record_is_accepted_as_it_is() -> None:
    record = pymarc.Record(force_utf8=True)
    record.add_field(pymarc.Field(tag="001", data="ZC00000001"))
    record.add_field(
        pymarc.Field(
            tag="200",
            indicators=pymarc.Indicators("1", " "),
            subfields=[pymarc.Subfield("a", "活着"), pymarc.Subfield("A", "Huo Zhe")],
        )
    )
    p = prepared(IncomingRecord(record, MarcFlavour.CNMARC, 1), source="demo")
    assert (p.source, p.control_number) == ("demo", "ZC00000001")
    assert p.bib_values[BIB_COLUMNS.index("title_pinyin")] == "Huo Zhe"


def test_the_same_record_from_two_files_is_stored_identically() -> None:
    from_xml = prepared(first("sample_cnmarcxml.xml"))
    from_iso = prepared(first("cnmarc_bnu10_from_dp2_sru_sample.utf8.iso"))
    assert from_xml.marc_json == from_iso.marc_json
    assert from_xml.fingerprint == from_iso.fingerprint
