"""Writing records: ISO 2709 (UTF-8), MARCXML and MARC-in-JSON, one record at a time.

The writers stream: a whole catalogue never has to fit in memory. Records are
written in Unicode and say so: MARC21 leader/9 ``a``; CNMARC 100 $a/26-29 ``50``
(which the import has already set on every stored record).
"""

from __future__ import annotations

import re
from typing import BinaryIO, Literal, Protocol
from xml.sax.saxutils import escape, quoteattr

from wenjin.catalog.marc.record import LEADER_LENGTH, Field, MarcRecord
from wenjin.catalog.states import MarcFlavour

ExportFormat = Literal["iso2709", "marcxml", "json"]

MARC21_SLIM = "http://www.loc.gov/MARC21/slim"
CNMARC_XML = "http://www.nlc.cn/"  # the namespace Chinese SRU servers use for cnmarcxml

MAX_RECORD_LENGTH = 99999
MAX_FIELD_LENGTH = 9999

# Characters XML 1.0 cannot carry at all.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class RecordTooLong(ValueError):
    """A record or field longer than ISO 2709's five- and four-digit lengths allow."""


class MarcWriter(Protocol):
    def write(self, record: MarcRecord, flavour: MarcFlavour) -> None: ...

    def close(self) -> None: ...


def open_writer(stream: BinaryIO, file_format: ExportFormat, flavour: MarcFlavour) -> MarcWriter:
    """A writer for ``file_format``; ``flavour`` picks the MARCXML namespace."""
    if file_format == "iso2709":
        return Iso2709Writer(stream)
    if file_format == "marcxml":
        return MarcXmlWriter(stream, flavour)
    return JsonWriter(stream)


def says_unicode(record: MarcRecord, flavour: MarcFlavour) -> MarcRecord:
    """The record with CNMARC 100 $a/26-29 set to ``50`` (Unicode), if it says otherwise."""
    if flavour is not MarcFlavour.CNMARC:
        return record
    general = record.first("100")
    value = general.get("a") if general is not None else None
    if general is None or value is None or value[26:28] == "50":
        return record
    padded = value.ljust(30)
    fixed = Field(
        "100",
        general.ind1,
        general.ind2,
        [
            ("a", padded[:26] + "50  " + padded[30:]) if c == "a" else (c, v)
            for c, v in general.subfields
        ],
    )
    return MarcRecord(record.leader, [fixed if f is general else f for f in record.fields])


def iso2709_bytes(record: MarcRecord, flavour: MarcFlavour) -> bytes:
    """The record in ISO 2709 transmission format, UTF-8."""
    record = says_unicode(record, flavour)
    directory: list[bytes] = []
    data: list[bytes] = []
    offset = 0
    for f in record.fields:
        if f.data is not None:
            body = f.data.encode("utf-8") + b"\x1e"
        else:
            subfields = b"".join(
                b"\x1f" + code.encode("utf-8") + value.encode("utf-8")
                for code, value in f.subfields
            )
            body = (f.ind1 + f.ind2).encode("utf-8") + subfields + b"\x1e"
        if len(body) > MAX_FIELD_LENGTH:
            raise RecordTooLong(f"field {f.tag} is {len(body)} bytes; ISO 2709 allows 9999")
        tag = f.tag.encode("utf-8")[:3].rjust(3, b"0")
        directory.append(b"%s%04d%05d" % (tag, len(body), offset))
        data.append(body)
        offset += len(body)
    base = LEADER_LENGTH + 12 * len(directory) + 1
    length = base + offset + 1
    if length > MAX_RECORD_LENGTH:
        raise RecordTooLong(f"the record is {length} bytes; ISO 2709 allows 99999")
    leader = (record.leader + " " * LEADER_LENGTH)[:LEADER_LENGTH]
    coding = "a" if flavour is MarcFlavour.MARC21 else leader[9]
    entry_map = "4500" if flavour is MarcFlavour.MARC21 else "450" + leader[23]
    head = f"{length:05d}{leader[5:9]}{coding}22{base:05d}{leader[17:20]}{entry_map}"
    return (
        head.encode("ascii", "replace") + b"".join(directory) + b"\x1e" + b"".join(data) + b"\x1d"
    )


class Iso2709Writer:
    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    def write(self, record: MarcRecord, flavour: MarcFlavour) -> None:
        self.stream.write(iso2709_bytes(record, flavour))

    def close(self) -> None:
        self.stream.flush()


def _xml_text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def _xml_attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("", value))


def marcxml_record(record: MarcRecord) -> str:
    """One ``<record>`` element (no namespace declaration: the collection carries it)."""
    lines = ["  <record>", f"    <leader>{_xml_text(record.leader)}</leader>"]
    for f in record.fields:
        if f.data is not None:
            lines.append(
                f"    <controlfield tag={_xml_attr(f.tag)}>{_xml_text(f.data)}</controlfield>"
            )
            continue
        lines.append(
            f"    <datafield tag={_xml_attr(f.tag)} ind1={_xml_attr(f.ind1)} "
            f"ind2={_xml_attr(f.ind2)}>"
        )
        lines.extend(
            f"      <subfield code={_xml_attr(code)}>{_xml_text(value)}</subfield>"
            for code, value in f.subfields
        )
        lines.append("    </datafield>")
    lines.append("  </record>")
    return "\n".join(lines) + "\n"


class MarcXmlWriter:
    def __init__(self, stream: BinaryIO, flavour: MarcFlavour) -> None:
        self.stream = stream
        namespace = CNMARC_XML if flavour is MarcFlavour.CNMARC else MARC21_SLIM
        stream.write(
            f'<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="{namespace}">\n'.encode()
        )

    def write(self, record: MarcRecord, flavour: MarcFlavour) -> None:
        self.stream.write(marcxml_record(says_unicode(record, flavour)).encode("utf-8"))

    def close(self) -> None:
        self.stream.write(b"</collection>\n")
        self.stream.flush()


class JsonWriter:
    """A JSON array of MARC-in-JSON records, one per line."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.first = True
        stream.write(b"[")

    def write(self, record: MarcRecord, flavour: MarcFlavour) -> None:
        self.stream.write(b"\n" if self.first else b",\n")
        self.first = False
        self.stream.write(says_unicode(record, flavour).to_json().encode("utf-8"))

    def close(self) -> None:
        self.stream.write(b"\n]\n")
        self.stream.flush()
