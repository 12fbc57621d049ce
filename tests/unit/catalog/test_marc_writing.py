"""Writers: what they write reads back the same, with our reader and with pymarc."""

from __future__ import annotations

import io
from pathlib import Path

import pymarc
import pytest

from wenjin.catalog.marc.reading import IncomingRecord, read_marc
from wenjin.catalog.marc.record import Field, MarcRecord
from wenjin.catalog.marc.writing import (
    RecordTooLong,
    iso2709_bytes,
    open_writer,
    says_unicode,
)
from wenjin.catalog.states import MarcFlavour

DATA = Path(__file__).resolve().parents[2] / "data" / "marc"


def sample(name: str) -> list[tuple[MarcRecord, MarcFlavour]]:
    out = []
    for r in read_marc(DATA / name):
        assert isinstance(r, IncomingRecord)
        assert isinstance(r.record, MarcRecord)
        out.append((r.record, r.flavour))
    return out


def write(records: list[tuple[MarcRecord, MarcFlavour]], file_format: str) -> bytes:
    stream = io.BytesIO()
    writer = open_writer(stream, file_format, records[0][1])  # type: ignore[arg-type]
    for record, flavour in records:
        writer.write(record, flavour)
    writer.close()
    return stream.getvalue()


@pytest.mark.parametrize("file_format", ["iso2709", "marcxml", "json"])
@pytest.mark.parametrize(
    "name", ["sample_cnmarcxml.xml", "marc.dat", "marc21_chinese_sample_marcxml.xml"]
)
def test_what_a_writer_writes_reads_back_field_for_field(name: str, file_format: str) -> None:
    records = sample(name)
    again = read_marc(write(records, file_format))
    assert len(again) == len(records)
    for (record, flavour), result in zip(records, again, strict=True):
        assert isinstance(result, IncomingRecord), result
        assert result.flavour is flavour
        # written in UTF-8, a CNMARC record's 100 $a says so
        assert result.record.fields == says_unicode(record, flavour).fields  # type: ignore[union-attr]


def test_iso2709_output_is_utf8_and_pymarc_reads_it() -> None:
    records = sample("sample_cnmarcxml.xml")
    data = write(records, "iso2709")
    parsed = list(pymarc.MARCReader(data, to_unicode=True, force_utf8=True))
    assert len(parsed) == 10
    assert parsed[0]["200"]["a"] == "'94中国发展报告"
    assert parsed[0]["200"]["A"] == "'94Zhong Guo Fa Zhan Bao Gao"


def test_marc21_is_written_with_leader_9_a_and_cnmarc_keeps_its_blank() -> None:
    (marc21, _), *_ = sample("marc8.dat")
    assert iso2709_bytes(marc21, MarcFlavour.MARC21)[9:10] == b"a"
    (cnmarc, _), *_ = sample("testunimarc.dat")
    assert iso2709_bytes(cnmarc, MarcFlavour.CNMARC)[9:10] == b" "


def test_the_leader_gets_the_real_length_and_base_address() -> None:
    record = MarcRecord(
        "99999nam a2299999   4500",
        [Field("001", data="ZC00000001"), Field("245", "1", "0", [("a", "活着")])],
    )
    data = iso2709_bytes(record, MarcFlavour.MARC21)
    assert int(data[:5]) == len(data)
    assert data[int(data[12:17]) - 1 : int(data[12:17])] == b"\x1e"


def test_a_record_too_long_for_iso2709_is_refused_rather_than_written_broken() -> None:
    notes = [Field("500", " ", " ", [("a", "长" * 3000)]) for _ in range(12)]
    record = MarcRecord("00000nam a2200000   4500", notes)
    with pytest.raises(RecordTooLong):
        iso2709_bytes(record, MarcFlavour.MARC21)


def test_marcxml_drops_characters_xml_cannot_carry() -> None:
    record = MarcRecord(
        "00000nam a2200000   4500", [Field("245", "1", "0", [("a", "bad\x0bchar & <tag>")])]
    )
    text = write([(record, MarcFlavour.MARC21)], "marcxml").decode()
    assert "badchar &amp; &lt;tag&gt;" in text
    (again,) = read_marc(text.encode())
    assert isinstance(again, IncomingRecord)
