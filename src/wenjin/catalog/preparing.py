"""Making an incoming record ready to store: pure, no database.

:func:`prepare_record` takes what a reader (or the demo generator) produced and
returns a :class:`PreparedRecord`: the record normalised as the catalogue stores it
(holdings taken out, the character set positions saying Unicode, no file lengths in
the leader), its extracted fields as column values, and the keys it is matched on.
Or a :class:`RecordProblem` when the record cannot be stored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from wenjin.catalog.marc.extract import Extracted, extract
from wenjin.catalog.marc.holdings import HOLDINGS_TAGS, describes_a_copy
from wenjin.catalog.marc.reading import IncomingRecord, Reason
from wenjin.catalog.marc.record import LEADER_LENGTH, Field, MarcRecord
from wenjin.catalog.rules import record_fingerprint, record_source, title_key
from wenjin.catalog.states import MarcFlavour
from wenjin.search.documents import AnalysedText, analyse, record_text

ProblemKind = Literal["rejected", "recovered", "item"]


@dataclass
class RecordProblem:
    """Something wrong with one incoming record, and what came of it.

    ``rejected``: the record was not saved. ``recovered``: it was saved after a repair
    (a wrong record length, a mislabelled character set …). ``item``: it was saved but
    one of its copies was not created or not as described (an unknown point code …).
    """

    position: int
    reason: Reason
    control_number: str | None = None
    offset: int | None = None
    kind: ProblemKind = "item"
    raw: bytes | None = None

    @property
    def rejected(self) -> bool:
        return self.kind == "rejected"


# The columns of bib_records that a prepared record fills, in this order.
BIB_COLUMNS = (
    "source",
    "control_number",
    "fingerprint",
    "flavour",
    "marc",
    "title",
    "title_parallel",
    "responsibility",
    "authors",
    "isbn",
    "isbn_invalid",
    "edition",
    "publisher",
    "pub_place",
    "year",
    "language",
    "clc",
    "classes",
    "subjects",
    "series",
    "title_pinyin",
    "author_pinyin",
    "price_fen",
)
_MARC_COLUMN = BIB_COLUMNS.index("marc")


@dataclass(slots=True)
class PreparedRecord:
    """An incoming record as the catalogue will store it, with its matching keys."""

    index: int  # position in the batch given to save_records
    position: int  # position in its file, 1-based
    offset: int | None
    source: str
    control_number: str | None
    fingerprint: str
    title_key: str
    valid_isbns: list[str]
    bib_values: tuple[Any, ...]  # in the order of BIB_COLUMNS, JSON columns as text
    isbn_rows: list[tuple[int, str, bool, str | None]]  # position, isbn, valid, qualifier
    holdings: list[Field]  # the holdings fields that describe copies, taken out of the record
    problems: list[RecordProblem] = field(default_factory=list)  # repairs made on the way
    # Its search text, analysed here so that a large import does it in the worker process.
    search: AnalysedText | None = None

    @property
    def marc_json(self) -> str:
        return str(self.bib_values[_MARC_COLUMN])

    def problem(self, reason: Reason, kind: ProblemKind = "item") -> RecordProblem:
        return RecordProblem(self.position, reason, self.control_number, self.offset, kind)

    def __reduce__(self) -> tuple[type[PreparedRecord], tuple[object, ...]]:
        # Prepared in a worker process during a large import: see Holding.__reduce__.
        return (
            PreparedRecord,
            (
                self.index,
                self.position,
                self.offset,
                self.source,
                self.control_number,
                self.fingerprint,
                self.title_key,
                self.valid_isbns,
                self.bib_values,
                self.isbn_rows,
                self.holdings,
                self.problems,
                self.search,
            ),
        )


_CONTROL_IN_JSON = re.compile(r"\\u00[01][0-9a-fA-F]|\\[bf]")
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def prepare_record(
    index: int, incoming: IncomingRecord, *, source: str | None = None
) -> PreparedRecord | RecordProblem:
    """``incoming`` ready to store, or the reason it cannot be (a rejected problem).

    The record object is changed in place (holdings taken out, normalised).
    """
    raw_record = incoming.record
    record = (
        raw_record if isinstance(raw_record, MarcRecord) else MarcRecord.from_pymarc(raw_record)
    )
    flavour = incoming.flavour
    control_number = (record.control("001") or "").strip() or None

    def refuse(zh: str, en: str) -> RecordProblem:
        return RecordProblem(
            incoming.position,
            Reason(zh, en),
            control_number,
            incoming.offset,
            kind="rejected",
            raw=incoming.raw,
        )

    if len(record.leader) != LEADER_LENGTH:
        return refuse(
            f"头标有 {len(record.leader)} 个字符，应为 24 个",
            f"the leader has {len(record.leader)} characters instead of 24",
        )
    if control_number is not None and len(control_number) > 64:
        return refuse(
            f"001 控制号长 {len(control_number)} 个字符，最多 64 个",
            f"the 001 control number is {len(control_number)} characters long; at most 64",
        )
    holdings = _take_holdings(record, flavour)
    notes = list(incoming.notes)
    _normalise(record, flavour)
    field_json = record.field_json()
    marc_json = record.to_json(field_json)
    if _CONTROL_IN_JSON.search(marc_json) and _strip_control_characters(record):
        field_json = record.field_json()
        marc_json = record.to_json(field_json)
        notes.append(
            Reason(
                "删除了字段中的控制字符（XML 与大多数系统无法显示）",
                "removed control characters from the record's text (XML cannot carry them)",
            )
        )
    extracted = extract(record, flavour)
    if not extracted.title:
        return refuse(
            "记录没有题名（MARC21 245 $a / CNMARC 200 $a），未导入",
            "the record has no title (MARC21 245 $a / CNMARC 200 $a); not imported",
        )
    prepared = PreparedRecord(
        index=index,
        position=incoming.position,
        offset=incoming.offset,
        source=record_source(source, record),
        control_number=control_number,
        fingerprint=record_fingerprint(record, field_json),
        title_key=title_key(extracted.title, extracted.medium),
        valid_isbns=[entry.isbn for entry in extracted.isbns if entry.valid],
        bib_values=(),
        isbn_rows=_isbn_rows(extracted),
        holdings=holdings,
    )
    prepared.bib_values = _bib_values(prepared, flavour, marc_json, extracted)
    prepared.problems = [prepared.problem(note, "recovered") for note in notes]
    columns = dict(zip(BIB_COLUMNS, prepared.bib_values, strict=True))
    isbns = [row[1] for row in prepared.isbn_rows]
    prepared.search = analyse(record_text(0, columns, isbns))
    return prepared


def _take_holdings(record: MarcRecord, flavour: MarcFlavour) -> list[Field]:
    """The holdings fields that describe copies, taken out of the record.

    They are parsed (:func:`~wenjin.catalog.marc.holdings.parse_holding`) when the
    items are saved; a field that describes no copy stays in the record.
    """
    taken = [
        f
        for f in record.get_fields(*HOLDINGS_TAGS[flavour])
        if f.data is None and describes_a_copy(f)
    ]
    if taken:
        ids = {id(f) for f in taken}
        record.replace_fields([f for f in record.fields if id(f) not in ids])
    return taken


def _normalise(record: MarcRecord, flavour: MarcFlavour) -> None:
    """Make the stored record say what it is: Unicode, and no lengths from another file.

    The lengths and base address in the leader describe a file, not the record; they
    are zeroed so that the same record imported from two files is stored the same.
    ``-`` where blanks belong (some Chinese exports) becomes a blank.
    """
    leader = record.leader.replace("-", " ")
    if flavour is MarcFlavour.MARC21:
        record.leader = f"00000{leader[5:9]}a2200000{leader[17:20]}4500"
        return
    record.leader = f"00000{leader[5:10]}2200000{leader[17:24]}"
    general = record.first("100")
    if general is None:
        return
    for position, (code, value) in enumerate(general.subfields):
        if code == "a":
            padded = value.ljust(30)
            general.subfields[position] = ("a", padded[:26] + "50  " + padded[30:])
            break


def _strip_control_characters(record: MarcRecord) -> bool:
    changed = False
    for f in record.fields:
        if f.data is not None:
            if _XML_INVALID.search(f.data):
                f.data = _XML_INVALID.sub("", f.data)
                changed = True
            continue
        for position, (code, value) in enumerate(f.subfields):
            if _XML_INVALID.search(value):
                f.subfields[position] = (code, _XML_INVALID.sub("", value))
                changed = True
    return changed


def _cut(value: str | None, length: int) -> str | None:
    if value is None or len(value) <= length:
        return value
    return value[:length]


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _json_list(values: list[Any]) -> str:
    return _JSON.encode(values) if values else "[]"


def _bib_values(
    p: PreparedRecord, flavour: MarcFlavour, marc_json: str, e: Extracted
) -> tuple[Any, ...]:
    year = e.year if e.year is not None and 0 < e.year < 10000 else None
    return (
        p.source,
        p.control_number,
        p.fingerprint,
        flavour.value,
        marc_json,
        _cut(e.title, 1000),
        _json_list(e.title_parallel),
        e.responsibility,
        _json_list(e.authors),
        e.isbn,
        e.isbn_invalid,
        _cut(e.edition, 200),
        _cut(e.publisher, 300),
        _cut(e.pub_place, 200),
        year,
        e.language,
        _cut(e.clc, 64),
        _json_list(e.classes),
        _json_list(e.subjects),
        _json_list(e.series),
        _cut(e.title_pinyin, 1000),
        _cut(e.author_pinyin, 500),
        e.price_fen,
    )


def _isbn_rows(e: Extracted) -> list[tuple[int, str, bool, str | None]]:
    rows = []
    for position, entry in enumerate(e.isbns):
        qualifier = entry.qualifier
        if entry.cancelled:
            qualifier = f"{qualifier} (作废 cancelled)" if qualifier else "作废 cancelled"
        rows.append((position, entry.isbn[:64], entry.valid, _cut(qualifier, 200)))
    return rows
