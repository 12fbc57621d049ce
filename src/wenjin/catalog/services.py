"""Use cases of the catalogue: saving records (with their copies) and adding items.

Every function takes the caller's session and never commits. ``save_records`` is
the bulk path the import and the demo generator share; it is written for speed:
one set-based look-up per kind of match for a whole batch, and bulk writes (COPY on
PostgreSQL, ``executemany`` on SQLite) instead of one ORM object per row. It does
not load ORM objects of the rows it writes, so a caller holding ``BibRecord`` or
``Item`` objects from before the call should not trust them afterwards.

How an incoming record finds the record it updates (re-importing never duplicates):

1. the same source and 001 (source: ``--source``, else the record's 003, else
   ``local``);
2. else a valid ISBN-13 carried by exactly one existing record whose title key
   (title and medium, see :func:`~wenjin.catalog.rules.title_key`) is the same:
   the volumes of a multi-volume set share an ISBN but not a title;
3. else the same content fingerprint;
4. else it is a new record.

A candidate from the same source with a different 001 is a different record by that
source's own numbering, and never matches by ISBN or fingerprint. Records earlier in
the same batch count as existing, so batch size never changes the outcome.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from sqlalchemy import Table, delete, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wenjin.catalog.errors import (
    DuplicateBarcode,
    InvalidBarcode,
    InvalidPrice,
    PointCannotHoldItems,
    UnknownItemType,
)
from wenjin.catalog.marc.extract import Extracted, extract
from wenjin.catalog.marc.holdings import HOLDINGS_TAGS, Holding, parse_holding
from wenjin.catalog.marc.reading import IncomingRecord, Reason
from wenjin.catalog.marc.record import MarcRecord
from wenjin.catalog.models import BarcodeSeries, BibIsbn, BibRecord, Item, ItemType
from wenjin.catalog.rules import (
    DEFAULT_ITEM_TYPE,
    DEFAULT_ITEM_TYPES,
    GENERATED_BARCODE_PREFIX,
    check_barcode,
    generated_barcode,
    item_type_code_for,
    record_fingerprint,
    record_source,
    title_key,
)
from wenjin.catalog.states import ItemStatus, MarcFlavour
from wenjin.db.types import utcnow
from wenjin.errors import InvalidInput
from wenjin.network.models import ServicePoint
from wenjin.network.states import PointKind

__all__ = [
    "IncomingRecord",
    "RecordProblem",
    "SaveResult",
    "add_item",
    "ensure_default_item_types",
    "save_records",
]

# --- item types ---


def ensure_default_item_types(session: Session) -> None:
    """Create the item types every network starts with, if missing; idempotent."""
    existing = set(session.scalars(select(ItemType.code)))
    for spec in DEFAULT_ITEM_TYPES:
        if spec.code not in existing:
            session.add(
                ItemType(
                    code=spec.code, name=spec.name, name_en=spec.name_en, lendable=spec.lendable
                )
            )
    session.flush()


def _item_types(session: Session) -> dict[str, int]:
    types = dict(session.execute(select(ItemType.code, ItemType.id)).tuples().all())
    if any(spec.code not in types for spec in DEFAULT_ITEM_TYPES):
        ensure_default_item_types(session)
        types = dict(session.execute(select(ItemType.code, ItemType.id)).tuples().all())
    return types


# --- adding one item ---


def add_item(
    session: Session,
    *,
    record: BibRecord,
    barcode: str,
    point: ServicePoint,
    item_type: str = DEFAULT_ITEM_TYPE,
    call_number: str | None = None,
    price_fen: int | None = None,
    location: str | None = None,
    acquired_on: date | None = None,
    floating: bool = False,
) -> Item:
    """Add a copy of ``record`` owned by, and shelved at, ``point`` (在架)."""
    check_barcode(barcode)
    if point.kind is PointKind.NETWORK:
        raise PointCannotHoldItems(point.code)
    if price_fen is not None and price_fen < 0:
        raise InvalidPrice(str(price_fen))
    for label_zh, label_en, value in (
        ("索书号", "call number", call_number),
        ("馆藏位置", "shelving location", location),
    ):
        if value is not None and len(value) > 64:
            raise InvalidInput(
                f"{label_zh}最长 64 个字符（现为 {len(value)}）",
                f"The {label_en} is at most 64 characters long (it is {len(value)})",
            )
    types = _item_types(session)
    type_id = types.get(item_type.strip().upper())
    if type_id is None:
        raise UnknownItemType(item_type, sorted(types))
    if session.scalar(select(Item.id).where(Item.barcode == barcode)) is not None:
        raise DuplicateBarcode(barcode)
    item = Item(
        barcode=barcode,
        bib_id=record.id,
        owning_point_id=point.id,
        current_point_id=point.id,
        location=location or None,
        call_number=call_number or None,
        item_type_id=type_id,
        status=ItemStatus.AVAILABLE,
        status_changed_at=utcnow(),
        price_fen=price_fen,
        acquired_on=acquired_on,
        floating=floating,
    )
    session.add(item)
    try:
        session.flush()
    except IntegrityError as exc:  # another desk took the barcode a moment ago
        raise DuplicateBarcode(barcode) from exc
    return item


# --- saving records ---


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


@dataclass
class SaveResult:
    imported: int = 0
    updated: int = 0  # matched an existing record (``unchanged`` of them were identical)
    unchanged: int = 0
    items_created: int = 0
    items_updated: int = 0
    problems: list[RecordProblem] = field(default_factory=list)
    record_ids: list[int | None] = field(default_factory=list)  # per input, None if refused

    @property
    def rejected(self) -> int:
        return sum(1 for problem in self.problems if problem.rejected)


@dataclass
class _Prepared:
    """An incoming record made ready to store: normalised, extracted, keyed."""

    index: int
    incoming: IncomingRecord
    record: MarcRecord
    flavour: MarcFlavour
    extracted: Extracted
    source: str
    control_number: str | None
    fingerprint: str
    marc_json: str
    title_key: str
    holdings: list[Holding]

    @property
    def valid_isbns(self) -> list[str]:
        return [entry.isbn for entry in self.extracted.isbns if entry.valid]


@dataclass
class _Slot:
    """One record of the catalogue the batch writes: an existing row or a new one."""

    existing_id: int | None
    existing_marc: str | None = None
    existing_identity: tuple[str, str | None] | None = None
    prepared: _Prepared | None = None  # the last incoming record for it: its text is stored
    members: list[_Prepared] = field(default_factory=list)
    holdings: list[tuple[_Prepared, Holding]] = field(default_factory=list)
    id: int | None = None


@dataclass(frozen=True)
class _Candidate:
    id: int
    source: str
    control_number: str | None
    marc: str
    title_key: str = ""


_CONTROL_IN_JSON = re.compile(r"\\u00[01][0-9a-fA-F]|\\[bf]")
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_IN_CHUNK = 500


def save_records(
    session: Session,
    records: Sequence[IncomingRecord],
    *,
    source: str | None = None,
    items_at: ServicePoint | None = None,
) -> SaveResult:
    """Insert or update ``records`` and turn their holdings into items; never commits.

    ``items_at``: copies whose holdings name no point are placed there, copies without
    a barcode get a generated one, and a record with no holdings gets one copy there
    (unless it already has a copy there).
    """
    result = SaveResult(record_ids=[None] * len(records))
    if items_at is not None and items_at.kind is PointKind.NETWORK:
        raise PointCannotHoldItems(items_at.code)
    prepared: list[_Prepared] = []
    for index, incoming in enumerate(records):
        outcome = _prepare(index, incoming, source)
        if isinstance(outcome, RecordProblem):
            result.problems.append(outcome)
            continue
        prepared.append(outcome)
        for note in incoming.notes:
            result.problems.append(_problem(outcome, note, kind="recovered"))
    if not prepared:
        return result

    slots = _match(session, prepared, result)
    _write_records(session, slots, result)
    for slot in slots:
        for member in slot.members:
            result.record_ids[member.index] = slot.id
    _save_items(session, slots, items_at, result)
    return result


def _problem(p: _Prepared, reason: Reason, *, kind: ProblemKind = "item") -> RecordProblem:
    return RecordProblem(
        position=p.incoming.position,
        reason=reason,
        control_number=p.control_number,
        offset=p.incoming.offset,
        kind=kind,
    )


def _prepare(index: int, incoming: IncomingRecord, source: str | None) -> _Prepared | RecordProblem:
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

    if len(record.leader) != 24:
        return refuse(
            f"头标有 {len(record.leader)} 个字符，应为 24 个",
            f"the leader has {len(record.leader)} characters instead of 24",
        )
    if control_number is not None and len(control_number) > 64:
        return refuse(
            f"001 控制号长 {len(control_number)} 个字符，最多 64 个",
            f"the 001 control number is {len(control_number)} characters long; at most 64",
        )
    holdings_fields = [f for f in record.get_fields(*HOLDINGS_TAGS[flavour]) if f.data is None]
    holdings: list[Holding] = []
    if holdings_fields:
        copies = [(f, parse_holding(f)) for f in holdings_fields]
        taken = [f for f, h in copies if h.describes_a_copy]
        if taken:
            taken_ids = {id(f) for f in taken}
            record.replace_fields([f for f in record.fields if id(f) not in taken_ids])
            holdings = [h for _, h in copies if h.describes_a_copy]
    _normalise(record, flavour)
    marc_json = record.to_json()
    if _CONTROL_IN_JSON.search(marc_json) and _strip_control_characters(record):
        marc_json = record.to_json()
        incoming.notes.append(
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
    return _Prepared(
        index=index,
        incoming=incoming,
        record=record,
        flavour=flavour,
        extracted=extracted,
        source=record_source(source, record),
        control_number=control_number,
        fingerprint=record_fingerprint(record),
        marc_json=marc_json,
        title_key=title_key(extracted.title, extracted.medium),
        holdings=holdings,
    )


def _normalise(record: MarcRecord, flavour: MarcFlavour) -> None:
    """Make the stored record say what it is: Unicode, and no lengths from another file.

    The lengths and base address in the leader describe a file, not the record; they
    are zeroed so that the same record imported from two files is stored the same.
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


# --- matching ---


def _chunks(values: Sequence[Any], size: int = _IN_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _medium_of(marc_json: str, flavour: MarcFlavour) -> str | None:
    record = MarcRecord.from_json(marc_json)
    return extract(record, flavour).medium


def _match(session: Session, prepared: list[_Prepared], result: SaveResult) -> list[_Slot]:
    bib = BibRecord.__table__
    by_identity: dict[tuple[str, str], _Candidate] = {}
    control_numbers = sorted({p.control_number for p in prepared if p.control_number})
    for chunk in _chunks(control_numbers):
        rows = session.execute(
            select(bib.c.id, bib.c.source, bib.c.control_number, bib.c.marc).where(
                bib.c.control_number.in_(chunk)
            )
        )
        for row in rows:
            by_identity[(row.source, row.control_number)] = _Candidate(*row)

    unmatched = [p for p in prepared if (p.source, p.control_number or "") not in by_identity]
    by_isbn: dict[str, list[_Candidate]] = defaultdict(list)
    isbns = sorted({isbn for p in unmatched for isbn in p.valid_isbns})
    for chunk in _chunks(isbns):
        rows = session.execute(
            select(
                BibIsbn.isbn,
                bib.c.id,
                bib.c.source,
                bib.c.control_number,
                bib.c.marc,
                bib.c.title,
                bib.c.flavour,
            )
            .join(bib, bib.c.id == BibIsbn.bib_id)
            .where(BibIsbn.isbn.in_(chunk), BibIsbn.valid.is_(True))
        )
        for row in rows:
            key = title_key(row.title, _medium_of(row.marc, MarcFlavour(row.flavour)))
            candidate = _Candidate(row.id, row.source, row.control_number, row.marc, key)
            if candidate not in by_isbn[row.isbn]:
                by_isbn[row.isbn].append(candidate)

    by_fingerprint: dict[str, list[_Candidate]] = defaultdict(list)
    fingerprints = sorted({p.fingerprint for p in unmatched})
    for chunk in _chunks(fingerprints):
        rows = session.execute(
            select(
                bib.c.fingerprint, bib.c.id, bib.c.source, bib.c.control_number, bib.c.marc
            ).where(bib.c.fingerprint.in_(chunk))
        )
        for row in rows:
            by_fingerprint[row.fingerprint].append(_Candidate(*row[1:]))

    slots: list[_Slot] = []
    slot_by_existing: dict[int, _Slot] = {}
    batch_identity: dict[tuple[str, str], _Slot] = {}
    batch_isbn: dict[tuple[str, str], list[_Slot]] = defaultdict(list)
    batch_fingerprint: dict[str, list[_Slot]] = defaultdict(list)

    def claim(candidate: _Candidate) -> _Slot:
        slot = slot_by_existing.get(candidate.id)
        if slot is None:
            slot = _Slot(candidate.id, candidate.marc, (candidate.source, candidate.control_number))
            slot_by_existing[candidate.id] = slot
            slots.append(slot)
        return slot

    for p in prepared:
        slot: _Slot | None = None
        if p.control_number:
            slot = batch_identity.get((p.source, p.control_number))
            if slot is None and (p.source, p.control_number) in by_identity:
                slot = claim(by_identity[(p.source, p.control_number)])
        if slot is None:
            slot = _match_by_isbn(p, batch_isbn, by_isbn, claim)
        if slot is None:
            slot = _match_by_fingerprint(p, batch_fingerprint, by_fingerprint, claim)
        if slot is None:
            slot = _Slot(existing_id=None)
            slots.append(slot)
            result.imported += 1
        else:
            result.updated += 1
        slot.prepared = p
        slot.members.append(p)
        slot.holdings.extend((p, h) for h in p.holdings)
        if p.control_number:
            batch_identity[(p.source, p.control_number)] = slot
        for isbn in p.valid_isbns:
            if slot not in batch_isbn[(isbn, p.title_key)]:
                batch_isbn[(isbn, p.title_key)].append(slot)
        if slot not in batch_fingerprint[p.fingerprint]:
            batch_fingerprint[p.fingerprint].append(slot)
    return slots


def _compatible(source: str, control_number: str | None, p: _Prepared) -> bool:
    """False when the source's own numbering says these are two different records."""
    return not (
        source == p.source
        and control_number is not None
        and p.control_number is not None
        and control_number != p.control_number
    )


def _slot_identity(slot: _Slot) -> tuple[str, str | None]:
    if slot.prepared is not None:
        return slot.prepared.source, slot.prepared.control_number
    return slot.existing_identity or ("", None)


def _match_by_isbn(
    p: _Prepared,
    batch_isbn: dict[tuple[str, str], list[_Slot]],
    by_isbn: dict[str, list[_Candidate]],
    claim: Callable[[_Candidate], _Slot],
) -> _Slot | None:
    for isbn in p.valid_isbns:
        in_batch = [
            s for s in batch_isbn.get((isbn, p.title_key), []) if _compatible(*_slot_identity(s), p)
        ]
        if len(in_batch) == 1:
            return in_batch[0]
        candidates = [
            c
            for c in by_isbn.get(isbn, [])
            if c.title_key == p.title_key and _compatible(c.source, c.control_number, p)
        ]
        if len(candidates) == 1 and not in_batch:
            return claim(candidates[0])
    return None


def _match_by_fingerprint(
    p: _Prepared,
    batch_fingerprint: dict[str, list[_Slot]],
    by_fingerprint: dict[str, list[_Candidate]],
    claim: Callable[[_Candidate], _Slot],
) -> _Slot | None:
    for slot in batch_fingerprint.get(p.fingerprint, []):
        if _compatible(*_slot_identity(slot), p):
            return slot
    for candidate in by_fingerprint.get(p.fingerprint, []):
        if _compatible(candidate.source, candidate.control_number, p):
            return claim(candidate)
    return None


# --- writing records ---

_BIB_COLUMNS = (
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


def _cut(value: str | None, length: int) -> str | None:
    if value is None:
        return None
    return value if len(value) <= length else value[:length]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _bib_values(p: _Prepared) -> tuple[Any, ...]:
    e = p.extracted
    year = e.year if e.year is not None and 0 < e.year < 10000 else None
    return (
        p.source,
        p.control_number,
        p.fingerprint,
        p.flavour.value,
        p.marc_json,
        _cut(e.title, 1000),
        _json(e.title_parallel),
        e.responsibility,
        _json(e.authors),
        e.isbn,
        e.isbn_invalid,
        _cut(e.edition, 200),
        _cut(e.publisher, 300),
        _cut(e.pub_place, 200),
        year,
        e.language,
        _cut(e.clc, 64),
        _json(e.classes),
        _json(e.subjects),
        _json(e.series),
        _cut(e.title_pinyin, 1000),
        _cut(e.author_pinyin, 500),
        e.price_fen,
    )


def _isbn_rows(bib_id: int, p: _Prepared) -> list[tuple[Any, ...]]:
    rows = []
    for position, entry in enumerate(p.extracted.isbns):
        qualifier = entry.qualifier
        if entry.cancelled:
            qualifier = f"{qualifier} (作废 cancelled)" if qualifier else "作废 cancelled"
        rows.append((bib_id, position, _cut(entry.isbn, 64), entry.valid, _cut(qualifier, 200)))
    return rows


def _write_records(session: Session, slots: list[_Slot], result: SaveResult) -> None:
    new_slots = [s for s in slots if s.existing_id is None]
    ids = _allocate_ids(session, BibRecord.__table__, len(new_slots))
    inserts: list[tuple[Any, ...]] = []
    isbn_rows: list[tuple[Any, ...]] = []
    for slot, new_id in zip(new_slots, ids, strict=True):
        assert slot.prepared is not None
        slot.id = new_id
        inserts.append((new_id, *_bib_values(slot.prepared)))
        isbn_rows.extend(_isbn_rows(new_id, slot.prepared))

    updates: list[tuple[Any, ...]] = []
    updated_ids: list[int] = []
    for slot in slots:
        if slot.existing_id is None:
            continue
        slot.id = slot.existing_id
        p = slot.prepared
        assert p is not None
        if slot.existing_marc == p.marc_json and slot.existing_identity == (
            p.source,
            p.control_number,
        ):
            result.unchanged += 1
            continue
        updates.append((slot.existing_id, *_bib_values(p)))
        updated_ids.append(slot.existing_id)
        isbn_rows.extend(_isbn_rows(slot.existing_id, p))

    bib = BibRecord.__table__
    _bulk_insert(session, bib, ("id", *_BIB_COLUMNS), inserts)
    if updates:
        for chunk in _chunks(updated_ids):
            session.execute(delete(BibIsbn).where(BibIsbn.bib_id.in_(chunk)))
        _bulk_update(session, bib, _BIB_COLUMNS, updates)
    _bulk_insert(
        session, BibIsbn.__table__, ("bib_id", "position", "isbn", "valid", "qualifier"), isbn_rows
    )


# --- items ---

_ITEM_COLUMNS = (
    "barcode",
    "bib_id",
    "owning_point_id",
    "current_point_id",
    "location",
    "call_number",
    "item_type_id",
    "status",
    "status_changed_at",
    "price_fen",
    "acquired_on",
    "floating",
    "volume",
    "version",
)
_ITEM_UPDATE_COLUMNS = (
    "owning_point_id",
    "location",
    "call_number",
    "item_type_id",
    "price_fen",
    "acquired_on",
    "floating",
    "volume",
)


@dataclass
class _PointRef:
    id: int
    code: str
    kind: PointKind


@dataclass
class _NewItem:
    slot: _Slot
    prepared: _Prepared
    holding: Holding
    owning: _PointRef
    current: _PointRef
    type_id: int


def _points_by_code(session: Session, codes: set[str]) -> dict[str, _PointRef]:
    found: dict[str, _PointRef] = {}
    sp = ServicePoint.__table__
    wanted = sorted(codes)
    for chunk in _chunks(wanted):
        for row in session.execute(
            select(sp.c.id, sp.c.code, sp.c.kind).where(sp.c.code.in_(chunk))
        ):
            found[row.code] = _PointRef(row.id, row.code, PointKind(row.kind))
    missing = {code.upper(): code for code in wanted if code not in found}
    if missing:
        for chunk in _chunks(sorted(missing)):
            rows = session.execute(
                select(sp.c.id, sp.c.code, sp.c.kind).where(func.upper(sp.c.code).in_(chunk))
            )
            for row in rows:
                original = missing.get(row.code.upper())
                if original is not None and original not in found:
                    found[original] = _PointRef(row.id, row.code, PointKind(row.kind))
    return found


def _save_items(
    session: Session,
    slots: list[_Slot],
    items_at: ServicePoint | None,
    result: SaveResult,
) -> None:
    at = _PointRef(items_at.id, items_at.code, items_at.kind) if items_at is not None else None
    wanted_points = {
        code
        for slot in slots
        for _, h in slot.holdings
        for code in (h.owning_code, h.current_code)
        if code
    }
    if not wanted_points and at is None and not any(slot.holdings for slot in slots):
        return
    points = _points_by_code(session, wanted_points)
    types = _item_types(session)

    barcoded: list[_NewItem] = []
    unbarcoded: list[_NewItem] = []
    for slot in slots:
        for p, holding in slot.holdings:
            for text_problem in holding.problems:
                zh, _, en = text_problem.partition(" / ")
                result.problems.append(_problem(p, Reason(zh, en or zh)))
            new = _resolve_holding(slot, p, holding, points, types, at, result)
            if new is None:
                continue
            if holding.barcode:
                barcoded.append(new)
            else:
                unbarcoded.append(new)

    _save_barcoded(session, barcoded, result)
    generated = _copies_to_generate(session, slots, unbarcoded, at, types)
    _insert_generated(session, generated, result)


def _where(h: Holding) -> str:
    return f"{h.tag} {h.barcode or ''}".strip()


def _resolve_holding(
    slot: _Slot,
    p: _Prepared,
    h: Holding,
    points: dict[str, _PointRef],
    types: dict[str, int],
    at: _PointRef | None,
    result: SaveResult,
) -> _NewItem | None:
    def problem(zh: str, en: str) -> None:
        result.problems.append(_problem(p, Reason(zh, en)))

    owning_code = h.owning_code or (at.code if at else None)
    if owning_code is None:
        problem(
            f"馆藏字段 {_where(h)} 没有馆代码，未创建该册；请补上代码或用 --items-at 指定服务点",
            f"holdings field {_where(h)} names no service point; item not created (add the "
            "code, or give --items-at)",
        )
        return None
    owning = at if (at and owning_code == at.code) else points.get(owning_code)
    if owning is None:
        problem(
            f"馆藏字段 {_where(h)} 的馆代码 {owning_code} 不存在，书目已导入但未创建该册；"
            "请先添加该服务点（wenjin network）再重新导入",
            f"holdings field {_where(h)}: no service point {owning_code}; the record was "
            "imported but this item was not (add the point with `wenjin network`, then import "
            "again)",
        )
        return None
    if owning.kind is PointKind.NETWORK:
        problem(
            f"馆藏字段 {_where(h)}：{owning_code} 是总分馆体系本身，不能收藏图书，未创建该册",
            f"holdings field {_where(h)}: {owning_code} is the network itself and cannot own "
            "items; item not created",
        )
        return None
    current = owning
    if h.current_code and h.current_code != owning_code:
        current = points.get(h.current_code) or owning
        if h.current_code not in points:
            problem(
                f"馆藏字段 {_where(h)} 的当前所在馆 {h.current_code} 不存在，按其所属馆处理",
                f"holdings field {_where(h)}: no service point {h.current_code} for its "
                "current place; the item was placed at its home point",
            )
    type_code = item_type_code_for(h.item_type, set(types))
    if type_code is None:
        type_code = DEFAULT_ITEM_TYPE
        problem(
            f"馆藏字段 {_where(h)} 的文献类型 {h.item_type} 未定义，按 {DEFAULT_ITEM_TYPE} 处理",
            f"holdings field {_where(h)}: item type {h.item_type} is not defined; "
            f"{DEFAULT_ITEM_TYPE} used",
        )
    if h.barcode is not None:
        try:
            check_barcode(h.barcode)
        except InvalidBarcode as exc:
            problem(f"{exc.message_zh}，未创建该册", f"{exc.message_en}; item not created")
            return None
    elif at is None:
        problem(
            f"馆藏字段 {_where(h)} 没有条码，未创建该册；用 --items-at 导入可自动生成条码",
            f"holdings field {_where(h)} has no barcode; item not created (import with "
            "--items-at to have barcodes generated)",
        )
        return None
    return _NewItem(slot, p, h, owning, current, types[type_code])


def _save_barcoded(session: Session, items: list[_NewItem], result: SaveResult) -> None:
    if not items:
        return
    it = Item.__table__
    existing: dict[str, Any] = {}
    barcodes = sorted({new.holding.barcode for new in items if new.holding.barcode})
    for chunk in _chunks(barcodes):
        rows = session.execute(
            select(
                it.c.id, it.c.barcode, it.c.bib_id, *(it.c[c] for c in _ITEM_UPDATE_COLUMNS)
            ).where(it.c.barcode.in_(chunk))
        )
        for row in rows:
            existing[row.barcode] = row
    inserts: list[tuple[Any, ...]] = []
    updates: dict[int, tuple[Any, ...]] = {}
    seen: set[str] = set()
    now = utcnow()
    for new in items:
        barcode = new.holding.barcode
        assert barcode is not None
        assert new.slot.id is not None
        if barcode in seen:
            result.problems.append(
                _problem(
                    new.prepared,
                    Reason(
                        f"条码 {barcode} 在本批数据中重复出现，只按第一次出现的创建",
                        f"barcode {barcode} appears more than once in this import; the first "
                        "one was kept",
                    ),
                )
            )
            continue
        seen.add(barcode)
        values = _item_update_values(new)
        row = existing.get(barcode)
        if row is None:
            inserts.append(_item_insert_values(new, barcode, now))
            continue
        if row.bib_id != new.slot.id:
            result.problems.append(
                _problem(
                    new.prepared,
                    Reason(
                        f"条码 {barcode} 已属于另一条书目（内部编号 {row.bib_id}），未改动该册",
                        f"barcode {barcode} already belongs to another record (id {row.bib_id}); "
                        "the item was left as it is",
                    ),
                )
            )
            continue
        current = tuple(row[3:])
        if current != values:
            updates[row.id] = (row.id, *values)
    _bulk_insert(session, it, _ITEM_COLUMNS, inserts)
    result.items_created += len(inserts)
    if updates:
        _bulk_update(session, it, _ITEM_UPDATE_COLUMNS, list(updates.values()), versioned=True)
        result.items_updated += len(updates)


def _item_update_values(new: _NewItem) -> tuple[Any, ...]:
    h = new.holding
    return (
        new.owning.id,
        _cut(h.location, 64),
        _cut(h.call_number, 64),
        new.type_id,
        h.price_fen,
        h.acquired_on,
        h.floating,
        _cut(h.volume, 64),
    )


def _item_insert_values(new: _NewItem, barcode: str, now: Any) -> tuple[Any, ...]:
    h = new.holding
    assert new.slot.id is not None
    return (
        barcode,
        new.slot.id,
        new.owning.id,
        new.current.id,
        _cut(h.location, 64),
        _cut(h.call_number, 64),
        new.type_id,
        (h.status or ItemStatus.AVAILABLE).value,
        now,
        h.price_fen,
        h.acquired_on,
        h.floating,
        _cut(h.volume, 64),
        1,
    )


def _copies_to_generate(
    session: Session,
    slots: list[_Slot],
    unbarcoded: list[_NewItem],
    at: _PointRef | None,
    types: dict[str, int],
) -> list[_NewItem]:
    """The copies without a barcode still to create, so that a re-run creates none twice.

    Copies are counted per record, point, call number and volume: a holdings field
    without a barcode is satisfied by an existing copy with the same description
    whose barcode no holdings field of the record names.
    """
    if at is None:
        return []
    wanted: list[_NewItem] = list(unbarcoded)
    for slot in slots:
        if not slot.holdings and slot.prepared is not None:
            wanted.append(
                _NewItem(
                    slot,
                    slot.prepared,
                    Holding("--items-at"),
                    at,
                    at,
                    types[DEFAULT_ITEM_TYPE],
                )
            )
    if not wanted:
        return []
    bib_ids = sorted({new.slot.id for new in wanted if new.slot.existing_id is not None})
    existing: dict[tuple[int, int, str | None, str | None], int] = defaultdict(int)
    present_at: set[tuple[int, int]] = set()
    named = {h.barcode for slot in slots for _, h in slot.holdings if h.barcode}
    it = Item.__table__
    for chunk in _chunks(bib_ids):
        rows = session.execute(
            select(
                it.c.bib_id, it.c.owning_point_id, it.c.call_number, it.c.volume, it.c.barcode
            ).where(it.c.bib_id.in_(chunk))
        )
        for row in rows:
            present_at.add((row.bib_id, row.owning_point_id))
            if row.barcode not in named:
                existing[(row.bib_id, row.owning_point_id, row.call_number, row.volume)] += 1
    to_create: list[_NewItem] = []
    for new in wanted:
        assert new.slot.id is not None
        if new.holding.tag == "--items-at":
            if (new.slot.id, at.id) not in present_at:
                to_create.append(new)
            continue
        key = (
            new.slot.id,
            new.owning.id,
            _cut(new.holding.call_number, 64),
            _cut(new.holding.volume, 64),
        )
        if existing[key] > 0:
            existing[key] -= 1
        else:
            to_create.append(new)
    return to_create


def _insert_generated(session: Session, items: list[_NewItem], result: SaveResult) -> None:
    if not items:
        return
    barcodes = _reserve_barcodes(session, len(items))
    now = utcnow()
    rows = [
        _item_insert_values(new, barcode, now) for new, barcode in zip(items, barcodes, strict=True)
    ]
    _bulk_insert(session, Item.__table__, _ITEM_COLUMNS, rows)
    result.items_created += len(rows)


def _reserve_barcodes(session: Session, count: int) -> list[str]:
    """``count`` unused generated barcodes, numbered from the network-wide counter."""
    series = BarcodeSeries.__table__
    dialect = session.get_bind().dialect.name
    insert_new = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert_new(series)
        .values(prefix=GENERATED_BARCODE_PREFIX, last_number=0)
        .on_conflict_do_nothing(index_elements=["prefix"])
    )
    barcodes: list[str] = []
    while len(barcodes) < count:
        needed = count - len(barcodes)
        last = session.execute(
            update(series)
            .where(series.c.prefix == GENERATED_BARCODE_PREFIX)
            .values(last_number=series.c.last_number + needed)
            .returning(series.c.last_number)
        ).scalar_one()
        candidates = [generated_barcode(n) for n in range(last - needed + 1, last + 1)]
        # A barcode typed by hand, or imported from another system, may already have
        # the generated form: skip it rather than fail the batch.
        taken = set(session.scalars(select(Item.barcode).where(Item.barcode.in_(candidates))))
        barcodes.extend(b for b in candidates if b not in taken)
    return barcodes


# --- bulk writes ---


def _driver_connection(session: Session) -> Any:
    return session.connection().connection.driver_connection


def _allocate_ids(session: Session, table: Table, count: int) -> list[int]:
    """``count`` new primary keys for ``table``, taken before a bulk insert."""
    if count == 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        return list(
            session.scalars(
                text(
                    f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id')) "
                    "FROM generate_series(1, :n)"
                ),
                {"n": count},
            )
        )
    # SQLite: the writing transaction began with BEGIN IMMEDIATE and holds the only
    # write lock, so nobody else can take these ids before the insert.
    start = session.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0
    return list(range(start + 1, start + 1 + count))


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat() if type(value) is date else value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def _bulk_insert(
    session: Session, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Insert ``rows`` fast: COPY on PostgreSQL, ``executemany`` on SQLite.

    SQLAlchemy's executemany spends most of its time binding parameters row by row
    (and inserts one row at a time when RETURNING is asked of SQLite); these two
    paths write a batch of 1,000 records several times faster.
    """
    if not rows:
        return
    column_list = ", ".join(columns)
    raw = _driver_connection(session)
    if session.get_bind().dialect.name == "postgresql":
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY {table.name} ({column_list}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    placeholders = ", ".join("?" for _ in columns)
    converted = [tuple(_sqlite_value(v) for v in row) for row in rows]
    raw.executemany(f"INSERT INTO {table.name} ({column_list}) VALUES ({placeholders})", converted)


def _bulk_update(
    session: Session,
    table: Table,
    columns: Sequence[str],
    rows: list[tuple[Any, ...]],
    *,
    versioned: bool = False,
) -> None:
    """Update rows by id; each row is ``(id, *values)`` in the order of ``columns``."""
    if not rows:
        return
    raw = _driver_connection(session)
    version = ", version = version + 1" if versioned else ""
    if session.get_bind().dialect.name == "postgresql":
        staging = f"wenjin_staging_{table.name}"
        column_list = ", ".join(("id", *columns))
        assignments = ", ".join(f"{c} = s.{c}" for c in columns)
        version = ", version = t.version + 1" if versioned else ""
        with raw.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMP TABLE {staging} ON COMMIT DROP AS "
                f"SELECT {column_list} FROM {table.name} WITH NO DATA"
            )
            with cursor.copy(f"COPY {staging} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"UPDATE {table.name} AS t SET {assignments}, updated_at = now(){version} "
                f"FROM {staging} AS s WHERE t.id = s.id"
            )
            cursor.execute(f"DROP TABLE {staging}")
        return
    assignments = ", ".join(f"{c} = ?" for c in columns)
    converted = [(*(_sqlite_value(v) for v in row[1:]), row[0]) for row in rows]
    raw.executemany(
        f"UPDATE {table.name} SET {assignments}, updated_at = CURRENT_TIMESTAMP{version} "
        "WHERE id = ?",
        converted,
    )
