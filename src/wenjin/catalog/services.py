"""Use cases of the catalogue: saving records (with their copies) and adding items.

Every function takes the caller's session and never commits. ``save_records`` is
the bulk path the import and the demo generator share, written for speed: one
set-based look-up per kind of match for a whole batch, and bulk writes through the
driver (:mod:`wenjin.catalog.bulk`) instead of one ORM object per row. It loads no
ORM objects of the rows it writes, so a caller holding ``BibRecord`` or ``Item``
objects from before the call should not trust them afterwards.

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
the same batch count as existing, so the batch size never changes the outcome.

Copies (items) come from the holdings fields (see :mod:`wenjin.catalog.marc.holdings`)
and are upserted by barcode. A re-import updates what the catalogue describes (home
point, call number, location, type, price, volume) but never an item's status or
current point, which belong to circulation; a barcode already used by another
record's item is reported, not moved.

One record edited in the MARC editor (:func:`update_record`, :func:`new_record`) takes
the same road: :func:`~wenjin.catalog.preparing.prepare_record`, then the writer of
``save_prepared`` for that one record and its search document, so that an edit and a
re-import derive every column alike. One copy is added, changed or withdrawn with
:func:`add_item`, :func:`update_item` and :func:`withdraw_item`.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from wenjin.audit.services import record_change
from wenjin.catalog.bulk import (
    DbValues,
    allocate_ids,
    bulk_insert,
    bulk_update,
    execute_in,
    select_in,
)
from wenjin.catalog.errors import (
    ControlNumberTaken,
    DuplicateBarcode,
    InvalidBarcode,
    InvalidMarc,
    InvalidPrice,
    ItemCannotBeWithdrawn,
    ItemChanged,
    ItemOwnerLocked,
    PointCannotHoldItems,
    RecordChanged,
    UnknownItemType,
)
from wenjin.catalog.marc.editor import EditorProblem, EditorText, editor_text, read_editor_text
from wenjin.catalog.marc.extract import extract
from wenjin.catalog.marc.holdings import Holding, parse_holding
from wenjin.catalog.marc.reading import IncomingRecord, Reason
from wenjin.catalog.marc.record import MarcRecord
from wenjin.catalog.models import BarcodeSeries, BibRecord, Item, ItemType
from wenjin.catalog.preparing import (
    BIB_COLUMNS,
    PreparedRecord,
    RecordProblem,
    prepare_record,
)
from wenjin.catalog.rules import (
    DEFAULT_ITEM_TYPE,
    DEFAULT_ITEM_TYPES,
    GENERATED_BARCODE_PREFIX,
    check_barcode,
    generated_barcode,
    is_scannable,
    item_type_code_for,
    marc_hash,
    title_key,
)
from wenjin.catalog.states import (
    ItemStatus,
    MarcFlavour,
    can_change_item_status,
    can_change_owner,
    check_item_transition,
)
from wenjin.db.types import utcnow
from wenjin.errors import InvalidInput
from wenjin.network.models import ServicePoint
from wenjin.network.states import PointKind
from wenjin.search.documents import AnalysedText, analyse, record_text, write_analysed

__all__ = [
    "IncomingRecord",
    "RecordProblem",
    "RecordSaved",
    "SaveResult",
    "add_item",
    "ensure_default_item_types",
    "new_record",
    "next_barcode",
    "save_prepared",
    "save_records",
    "update_item",
    "update_record",
    "withdraw_item",
]

log = logging.getLogger(__name__)

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
    query = select(ItemType.code, ItemType.id)
    types = dict(session.execute(query).all())
    if any(spec.code not in types for spec in DEFAULT_ITEM_TYPES):
        ensure_default_item_types(session)
        types = dict(session.execute(query).all())
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
    volume: str | None = None,
    note: str | None = None,
    actor: str | None = None,
) -> Item:
    """Add a copy of ``record`` owned by, and shelved at, ``point`` (在架)."""
    check_barcode(barcode)
    if point.kind is PointKind.NETWORK:
        raise PointCannotHoldItems(point.code)
    if price_fen is not None and price_fen < 0:
        raise InvalidPrice(str(price_fen))
    _check_item_text(call_number=call_number, location=location, volume=volume, note=note)
    type_id = _item_type_id(session, item_type)
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
        volume=volume or None,
        note=note or None,
    )
    session.add(item)
    try:
        session.flush()
    except IntegrityError as exc:  # another desk took the barcode a moment ago
        raise DuplicateBarcode(barcode) from exc
    log.info("item %s of record %s added at %s by %s", barcode, record.id, point.code, actor)
    return item


_ITEM_TEXT_LIMITS = {
    "call_number": ("索书号", "call number", 64),
    "location": ("馆藏位置", "shelving location", 64),
    "volume": ("卷册", "volume", 64),
    "note": ("备注", "note", 2000),
}


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _check_item_text(**values: str | None) -> None:
    for name, value in values.items():
        label_zh, label_en, limit = _ITEM_TEXT_LIMITS[name]
        if value is not None and _CONTROL_CHARACTERS.search(value):
            raise InvalidInput(
                f"{label_zh}含有控制字符，请删除后再保存",
                f"The {label_en} contains control characters; remove them and save again",
            )
        if value is not None and len(value) > limit:
            raise InvalidInput(
                f"{label_zh}最长 {limit} 个字符（现为 {len(value)}）",
                f"The {label_en} is at most {limit} characters long (it is {len(value)})",
            )


def _item_type_id(session: Session, code: str) -> int:
    types = _item_types(session)
    type_id = types.get(code.strip().upper())
    if type_id is None:
        raise UnknownItemType(code, sorted(types))
    return type_id


def next_barcode(session: Session) -> str:
    """The next unused barcode of the network's own series (``W000000042``), taken now."""
    return _reserve_barcodes(session, 1)[0]


# --- changing one item ---


def update_item(
    session: Session,
    *,
    item: Item,
    actor: str,
    call_number: str | None = None,
    location: str | None = None,
    item_type: str | None = None,
    price_fen: int | None = None,
    clear_price: bool = False,
    volume: str | None = None,
    note: str | None = None,
    floating: bool | None = None,
    owning_point: ServicePoint | None = None,
    expected_version: int | None = None,
) -> Item:
    """Change what the catalogue says about a copy; never its status or where it is now.

    ``None`` leaves a value as it is; an empty string clears a text, ``clear_price``
    the price. The home point (所属馆) cannot change while the copy is on loan or in
    transit (:class:`ItemOwnerLocked`): it decides where the copy goes next.
    ``expected_version``: the version the form showed; a copy changed since (lent,
    returned, edited) is refused (:class:`ItemChanged`).
    """
    if expected_version is not None and item.version != expected_version:
        raise ItemChanged(item.barcode)
    _check_item_text(call_number=call_number, location=location, volume=volume, note=note)
    if price_fen is not None and price_fen < 0:
        raise InvalidPrice(str(price_fen))
    if owning_point is not None and owning_point.id != item.owning_point_id:
        if owning_point.kind is PointKind.NETWORK:
            raise PointCannotHoldItems(owning_point.code)
        if not can_change_owner(item.status):
            raise ItemOwnerLocked(item.barcode, item.status)
        item.owning_point = owning_point
    if item_type is not None:
        type_id = _item_type_id(session, item_type)
        if type_id != item.item_type_id:
            item.item_type = session.get_one(ItemType, type_id)
    for name, value in (
        ("call_number", call_number),
        ("location", location),
        ("volume", volume),
        ("note", note),
    ):
        if value is not None and getattr(item, name) != (value.strip() or None):
            setattr(item, name, value.strip() or None)
    if clear_price:
        item.price_fen = None
    elif price_fen is not None:
        item.price_fen = price_fen
    if floating is not None:
        item.floating = floating
    _flush_item(session, item)
    log.info("item %s changed by %s", item.barcode, actor)
    return item


def withdraw_item(session: Session, *, item: Item, actor: str, reason: str | None = None) -> Item:
    """Take a copy out of the collection (注销/剔旧): it stays on record, never lent again.

    Allowed from the states :data:`~wenjin.catalog.states.ITEM_TRANSITIONS` lets go to
    withdrawn (on the shelf, processing, missing, lost, damaged); a copy out on loan,
    in transit, on the hold shelf or in a rotating collection is refused.
    """
    if item.status is ItemStatus.WITHDRAWN:
        raise ItemCannotBeWithdrawn(item.barcode, "它已经注销", "it is already withdrawn")
    if not can_change_item_status(item.status, ItemStatus.WITHDRAWN):
        raise ItemCannotBeWithdrawn(
            item.barcode,
            f"它当前为「{item.status.label_zh}」，请先还回或接收",
            f"it is {item.status.label_en.lower()}; return or receive it first",
        )
    if item.stationed_point_id is not None:
        raise ItemCannotBeWithdrawn(
            item.barcode,
            "它属于一个流动书箱，请先从书箱中移出",
            "it belongs to a rotating collection; take it out of the collection first",
        )
    _check_item_text(note=reason)
    check_item_transition(item.status, ItemStatus.WITHDRAWN)
    was = item.status
    item.status = ItemStatus.WITHDRAWN
    item.status_changed_at = utcnow()
    if reason and reason.strip():
        stamp = f"注销 withdrawn: {reason.strip()}"
        item.note = f"{item.note}\n{stamp}" if item.note else stamp
        _check_item_text(note=item.note[-2000:])
        item.note = item.note[-2000:]
    _flush_item(session, item)
    record_change(  # the status is the circulation log's; a withdrawal is the catalogue's
        session,
        action="changed",
        entity="items",
        entity_id=item.id,
        label=item.barcode,
        before={"status": was},
        after={"status": ItemStatus.WITHDRAWN, "reason": reason},
    )
    log.info("item %s withdrawn by %s", item.barcode, actor)
    return item


def _flush_item(session: Session, item: Item) -> None:
    try:
        session.flush()
    except StaleDataError as exc:  # the version moved: a desk checked it out meanwhile
        raise ItemChanged(item.barcode) from exc


# --- editing one record (the MARC editor) ---


@dataclass(frozen=True)
class RecordSaved:
    """What saving an edited record did: its id, its new version, the warnings shown."""

    record_id: int
    marc_hash: str
    changed: bool
    warnings: list[EditorProblem] = field(default_factory=list)


def _read_edit(marc_text: str | None, marc: MarcRecord | None, flavour: MarcFlavour) -> EditorText:
    if marc_text is None:
        if marc is None:
            raise ValueError("give marc_text or marc")
        marc_text = editor_text(marc)
    read = read_editor_text(marc_text, flavour)
    if read.errors:
        raise InvalidMarc(read.problems)
    return read


def _prepare_edit(read: EditorText, flavour: MarcFlavour, source: str | None) -> PreparedRecord:
    outcome = prepare_record(0, IncomingRecord(read.record, flavour, position=1), source=source)
    if isinstance(outcome, RecordProblem):
        raise InvalidMarc([EditorProblem(0, outcome.reason.zh, outcome.reason.en)])
    return outcome


def _check_identity(session: Session, p: PreparedRecord, record_id: int | None) -> None:
    if p.control_number is None:
        return
    other = session.scalar(
        select(BibRecord.id).where(
            BibRecord.source == p.source,
            BibRecord.control_number == p.control_number,
            BibRecord.id != (record_id or 0),
        )
    )
    if other is not None:
        raise ControlNumberTaken(p.control_number, p.source, other)


def update_record(
    session: Session,
    *,
    record: BibRecord,
    actor: str,
    marc_text: str | None = None,
    marc: MarcRecord | None = None,
    expected_hash: str | None = None,
) -> RecordSaved:
    """Save an edited record: the editor's text (``marc_text``) or a built ``marc``.

    The text is read and checked (:func:`~wenjin.catalog.marc.editor.read_editor_text`)
    in the record's flavour; any error refuses the whole save (:class:`InvalidMarc`).
    The record then goes through the import's own preparation and writing path, so
    every derived column (title, authors, ISBN rows, year, CLC, pinyin, fingerprint …)
    and the search document are rewritten exactly as a re-import would, in this
    transaction. ``expected_hash`` is the :func:`~wenjin.catalog.rules.marc_hash` the
    editor opened: a save over a newer save is refused (:class:`RecordChanged`).
    """
    flavour = MarcFlavour(record.flavour)
    stored = session.execute(
        select(BibRecord.marc).where(BibRecord.id == record.id).with_for_update()
    ).scalar_one()
    if expected_hash is not None and marc_hash(stored) != expected_hash:
        raise RecordChanged(record.id)
    read = _read_edit(marc_text, marc, flavour)
    p = _prepare_edit(read, flavour, record.source)
    _check_identity(session, p, record.id)
    slot = _Slot(record.id, stored, (record.source, record.control_number))
    slot.prepared = p
    slot.members.append(p)
    _write_records(session, [slot], SaveResult())
    if slot.changed:
        write_analysed(session, [(slot.id, _search_text(slot))])
        record_change(
            session,
            action="changed",
            entity="bib_records",
            entity_id=record.id,
            label=_prepared_title(p),
            before={"marc": stored},
            after={"marc": p.marc_json},
        )
    session.expire(record)
    log.info("record %s edited by %s (changed: %s)", record.id, actor, slot.changed)
    return RecordSaved(record.id, marc_hash(p.marc_json), slot.changed, read.warnings)


def _prepared_title(p: PreparedRecord) -> str:
    return str(p.bib_values[BIB_COLUMNS.index("title")])


def new_record(
    session: Session,
    *,
    flavour: MarcFlavour,
    actor: str,
    marc_text: str | None = None,
    marc: MarcRecord | None = None,
    source: str | None = None,
) -> RecordSaved:
    """Create a record from the editor, checked and stored as :func:`update_record` does.

    Its source is ``source``, else its 003, else ``local``; a 001 already used in that
    source is refused (:class:`ControlNumberTaken`).
    """
    read = _read_edit(marc_text, marc, flavour)
    p = _prepare_edit(read, flavour, source)
    _check_identity(session, p, None)
    slot = _Slot(existing_id=None)
    slot.prepared = p
    slot.members.append(p)
    _write_records(session, [slot], SaveResult())
    write_analysed(session, [(slot.id, _search_text(slot))])
    record_change(
        session,
        action="created",
        entity="bib_records",
        entity_id=slot.id,
        label=_prepared_title(p),
        after={"source": p.source, "control_number": p.control_number, "marc": p.marc_json},
    )
    log.info("record %s created by %s", slot.id, actor)
    return RecordSaved(slot.id, marc_hash(p.marc_json), True, read.warnings)


# --- saving records ---


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
class _Slot:
    """One record of the catalogue the batch writes: an existing row or a new one."""

    existing_id: int | None
    existing_marc: str | None = None
    existing_identity: tuple[str, str | None] | None = None
    prepared: PreparedRecord | None = None  # the last incoming record for it: its text is kept
    members: list[PreparedRecord] = field(default_factory=list)
    holdings: list[tuple[PreparedRecord, Holding]] = field(default_factory=list)
    id: int = 0
    changed: bool = True  # False when the stored record was already identical


@dataclass(frozen=True)
class _Candidate:
    id: int
    source: str
    control_number: str | None
    marc: str
    title_key: str = ""


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
    outcomes = [
        prepare_record(index, incoming, source=source) for index, incoming in enumerate(records)
    ]
    return save_prepared(session, outcomes, items_at=items_at)


def save_prepared(
    session: Session,
    outcomes: Sequence[PreparedRecord | RecordProblem],
    *,
    items_at: ServicePoint | None = None,
) -> SaveResult:
    """:func:`save_records` for records already through :func:`prepare_record`.

    ``outcomes[i].index`` must be ``i`` for prepared records; problems (records that
    could not be read or prepared) are passed through to the result.
    """
    result = SaveResult(record_ids=[None] * len(outcomes))
    if items_at is not None and items_at.kind is PointKind.NETWORK:
        raise PointCannotHoldItems(items_at.code)
    prepared: list[PreparedRecord] = []
    for outcome in outcomes:
        if isinstance(outcome, RecordProblem):
            result.problems.append(outcome)
            continue
        prepared.append(outcome)
        result.problems.extend(outcome.problems)
    if not prepared:
        return result

    slots = _match(session, prepared, result)
    _write_records(session, slots, result)
    for slot in slots:
        for member in slot.members:
            result.record_ids[member.index] = slot.id
    _save_items(session, slots, items_at, result)
    # After the items, so that their triggers find no document to bump for a new record.
    write_analysed(session, [(slot.id, _search_text(slot)) for slot in slots if slot.changed])
    return result


_BIB_INDEX = {name: position for position, name in enumerate(BIB_COLUMNS)}


def _search_text(slot: _Slot) -> AnalysedText:
    p = slot.prepared
    assert p is not None
    if p.search is not None:
        return p.search
    columns = {name: p.bib_values[position] for name, position in _BIB_INDEX.items()}
    return analyse(record_text(slot.id, columns, [row[1] for row in p.isbn_rows]))


# --- matching ---


def _medium_of(marc_json: str, flavour: MarcFlavour) -> str | None:
    return extract(MarcRecord.from_json(marc_json), flavour).medium


def _match(session: Session, prepared: list[PreparedRecord], result: SaveResult) -> list[_Slot]:
    by_identity: dict[tuple[str, str], _Candidate] = {}
    control_numbers = sorted({p.control_number for p in prepared if p.control_number})
    for row in select_in(
        session,
        "SELECT id, source, control_number, marc FROM bib_records WHERE control_number {IN}",
        control_numbers,
    ):
        by_identity[(row[1], row[2])] = _Candidate(*row)

    unmatched = [p for p in prepared if (p.source, p.control_number or "") not in by_identity]
    by_isbn: dict[str, list[_Candidate]] = defaultdict(list)
    isbns = sorted({isbn for p in unmatched for isbn in p.valid_isbns})
    for isbn, *isbn_row in select_in(
        session,
        "SELECT i.isbn, b.id, b.source, b.control_number, b.marc, b.title, b.flavour "
        "FROM bib_isbns i JOIN bib_records b ON b.id = i.bib_id "
        "WHERE i.valid = true AND i.isbn {IN}",
        isbns,
    ):
        bib_id, bib_source, bib_control, marc, title, flavour = isbn_row
        key = title_key(title, _medium_of(marc, MarcFlavour(flavour)))
        candidate = _Candidate(bib_id, bib_source, bib_control, marc, key)
        if candidate not in by_isbn[isbn]:
            by_isbn[isbn].append(candidate)

    by_fingerprint: dict[str, list[_Candidate]] = defaultdict(list)
    for fingerprint, *fingerprint_row in select_in(
        session,
        "SELECT fingerprint, id, source, control_number, marc FROM bib_records "
        "WHERE fingerprint {IN}",
        sorted({p.fingerprint for p in unmatched}),
    ):
        by_fingerprint[fingerprint].append(_Candidate(*fingerprint_row))

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
        slot.holdings.extend((p, parse_holding(f)) for f in p.holdings)
        if p.control_number:
            batch_identity[(p.source, p.control_number)] = slot
        for isbn in p.valid_isbns:
            if slot not in batch_isbn[(isbn, p.title_key)]:
                batch_isbn[(isbn, p.title_key)].append(slot)
        if slot not in batch_fingerprint[p.fingerprint]:
            batch_fingerprint[p.fingerprint].append(slot)
    return slots


def _compatible(source: str, control_number: str | None, p: PreparedRecord) -> bool:
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
    p: PreparedRecord,
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
    p: PreparedRecord,
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


def _write_records(session: Session, slots: list[_Slot], result: SaveResult) -> None:
    new_slots = [s for s in slots if s.existing_id is None]
    ids = allocate_ids(session, "bib_records", len(new_slots))
    inserts: list[tuple[Any, ...]] = []
    isbn_rows: list[tuple[Any, ...]] = []
    for slot, new_id in zip(new_slots, ids, strict=True):
        p = slot.prepared
        assert p is not None
        slot.id = new_id
        inserts.append((new_id, *p.bib_values))
        isbn_rows.extend((new_id, *row) for row in p.isbn_rows)

    updates: list[tuple[Any, ...]] = []
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
            slot.changed = False
            continue
        updates.append((slot.existing_id, *p.bib_values))
        isbn_rows.extend((slot.existing_id, *row) for row in p.isbn_rows)

    bulk_insert(session, "bib_records", ("id", *BIB_COLUMNS), inserts)
    if updates:
        execute_in(session, "DELETE FROM bib_isbns WHERE bib_id {IN}", [u[0] for u in updates])
        bulk_update(session, "bib_records", BIB_COLUMNS, updates)
    bulk_insert(
        session, "bib_isbns", ("bib_id", "position", "isbn", "valid", "qualifier"), isbn_rows
    )


# --- items ---

_ITEM_COLUMNS = (
    "barcode",
    "bib_id",
    "current_point_id",
    "status",
    "status_changed_at",
    "version",
    # the catalogue's description of the copy, which a re-import updates:
    "owning_point_id",
    "location",
    "call_number",
    "item_type_id",
    "price_fen",
    "acquired_on",
    "floating",
    "volume",
)
_DESCRIPTION_COLUMNS = _ITEM_COLUMNS[6:]


@dataclass(frozen=True, slots=True)
class _PointRef:
    id: int
    code: str
    kind: PointKind


@dataclass(slots=True)
class _NewItem:
    """A copy ready to write: its record, current point and description in db terms."""

    slot: _Slot
    prepared: PreparedRecord
    holding: Holding
    current_id: int
    description: tuple[Any, ...]  # in the order of _DESCRIPTION_COLUMNS


class _TypeIds:
    """Item type ids for the type codes holdings give, each code resolved once a batch."""

    def __init__(self, types: dict[str, int]) -> None:
        self.types = types
        self.known = set(types)
        self.resolved: dict[str | None, int | None] = {}

    def get(self, given: str | None) -> int | None:
        try:
            return self.resolved[given]
        except KeyError:
            code = item_type_code_for(given, self.known)
            type_id = self.resolved[given] = self.types[code] if code else None
            return type_id


def _points_by_code(session: Session, codes: set[str]) -> dict[str, _PointRef]:
    found: dict[str, _PointRef] = {}
    sql = "SELECT id, code, kind FROM service_points WHERE {column} {IN}"
    for point_id, code, kind in select_in(
        session, sql.format(column="code", IN="{IN}"), sorted(codes)
    ):
        found[code] = _PointRef(point_id, code, PointKind(kind))
    missing = {code.upper(): code for code in codes if code not in found}
    if missing:  # a code written in another case: PZ-01 for pz-01
        upper_sql = sql.format(column="upper(code)", IN="{IN}")
        for point_id, code, kind in select_in(session, upper_sql, sorted(missing)):
            original = missing.get(code.upper())
            if original is not None and original not in found:
                found[original] = _PointRef(point_id, code, PointKind(kind))
    return found


def _save_items(
    session: Session,
    slots: list[_Slot],
    items_at: ServicePoint | None,
    result: SaveResult,
) -> None:
    at = _PointRef(items_at.id, items_at.code, items_at.kind) if items_at is not None else None
    if at is None and not any(slot.holdings for slot in slots):
        return
    codes = {
        code
        for slot in slots
        for _, h in slot.holdings
        for code in (h.owning_code, h.current_code)
        if code
    }
    resolver = _HoldingResolver(
        _points_by_code(session, codes), _TypeIds(_item_types(session)), at, DbValues(session)
    )
    barcoded: list[_NewItem] = []
    unbarcoded: list[_NewItem] = []
    for slot in slots:
        for p, holding in slot.holdings:
            for text_problem in holding.problems:
                zh, _, en = text_problem.partition(" / ")
                result.problems.append(p.problem(Reason(zh, en or zh)))
            new = resolver.resolve(slot, p, holding, result)
            if new is None:
                continue
            if holding.barcode:
                barcoded.append(new)
            else:
                unbarcoded.append(new)
    now = resolver.db.timestamp(utcnow())
    _save_barcoded(session, barcoded, now, result)
    if at is not None:
        generated = _copies_to_generate(session, slots, unbarcoded, resolver)
        _insert_items(session, generated, _reserve_barcodes(session, len(generated)), now)
        result.items_created += len(generated)


class _HoldingResolver:
    """Turns a holding (codes, as the file has them) into a copy to write (ids)."""

    def __init__(
        self,
        points: dict[str, _PointRef],
        types: _TypeIds,
        at: _PointRef | None,
        db: DbValues,
    ) -> None:
        self.points = points
        self.types = types
        self.at = at
        self.db = db

    def description(self, owning_id: int, h: Holding, type_id: int) -> tuple[Any, ...]:
        return (
            owning_id,
            h.location[:64] if h.location else None,
            h.call_number[:64] if h.call_number else None,
            type_id,
            h.price_fen,
            self.db.date(h.acquired_on),
            h.floating,
            h.volume[:64] if h.volume else None,
        )

    def resolve(
        self, slot: _Slot, p: PreparedRecord, h: Holding, result: SaveResult
    ) -> _NewItem | None:
        # The usual copy: a known point, a known type, a barcode a scanner could read.
        owning = self.points.get(h.owning_code or "")
        type_id = self.types.get(h.item_type)
        if (
            owning is not None
            and owning.kind is not PointKind.NETWORK
            and type_id is not None
            and h.barcode
            and (not h.current_code or h.current_code in self.points)
            and is_scannable(h.barcode)
        ):
            current_id = self.points[h.current_code].id if h.current_code else owning.id
            return _NewItem(slot, p, h, current_id, self.description(owning.id, h, type_id))
        return self._resolve_with_problems(slot, p, h, result)

    def _resolve_with_problems(
        self, slot: _Slot, p: PreparedRecord, h: Holding, result: SaveResult
    ) -> _NewItem | None:
        at = self.at
        where = f"{h.tag} {h.barcode or ''}".strip()

        def problem(zh: str, en: str) -> None:
            result.problems.append(p.problem(Reason(zh, en)))

        owning_code = h.owning_code or (at.code if at else None)
        if owning_code is None:
            problem(
                f"馆藏字段 {where} 没有馆代码，未创建该册；请补上代码或用 --items-at 指定服务点",
                f"holdings field {where} names no service point; item not created (add the "
                "code, or give --items-at)",
            )
            return None
        owning = at if (at and owning_code == at.code) else self.points.get(owning_code)
        if owning is None:
            problem(
                f"馆藏字段 {where} 的馆代码 {owning_code} 不存在，书目已导入但未创建该册；"
                "请先添加该服务点（wenjin network）再重新导入",
                f"holdings field {where}: no service point {owning_code}; the record was "
                "imported but this item was not (add the point with `wenjin network`, then "
                "import again)",
            )
            return None
        if owning.kind is PointKind.NETWORK:
            problem(
                f"馆藏字段 {where}：{owning_code} 是总分馆体系本身，不能收藏图书，未创建该册",
                f"holdings field {where}: {owning_code} is the network itself and cannot own "
                "items; item not created",
            )
            return None
        current_id = owning.id
        if h.current_code and h.current_code != owning_code:
            current = self.points.get(h.current_code)
            if current is None:
                problem(
                    f"馆藏字段 {where} 的当前所在馆 {h.current_code} 不存在，按其所属馆处理",
                    f"holdings field {where}: no service point {h.current_code} for its "
                    "current place; the item was placed at its home point",
                )
            else:
                current_id = current.id
        type_id = self.types.get(h.item_type)
        if type_id is None:
            type_id = self.types.types[DEFAULT_ITEM_TYPE]
            problem(
                f"馆藏字段 {where} 的文献类型 {h.item_type} 未定义，按 {DEFAULT_ITEM_TYPE} 处理",
                f"holdings field {where}: item type {h.item_type} is not defined; "
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
                f"馆藏字段 {where} 没有条码，未创建该册；用 --items-at 导入可自动生成条码",
                f"holdings field {where} has no barcode; item not created (import with "
                "--items-at to have barcodes generated)",
            )
            return None
        return _NewItem(slot, p, h, current_id, self.description(owning.id, h, type_id))


def _insert_items(
    session: Session, items: Sequence[_NewItem], barcodes: Sequence[str], now: Any
) -> None:
    rows = [
        (
            barcode,
            new.slot.id,
            new.current_id,
            (new.holding.status or ItemStatus.AVAILABLE).value,
            now,
            1,
            *new.description,
        )
        for new, barcode in zip(items, barcodes, strict=True)
    ]
    bulk_insert(session, "items", _ITEM_COLUMNS, rows)


def _save_barcoded(session: Session, items: list[_NewItem], now: Any, result: SaveResult) -> None:
    if not items:
        return
    columns = ", ".join(("id", "barcode", "bib_id", *_DESCRIPTION_COLUMNS))
    existing = {
        row[1]: row
        for row in select_in(
            session,
            f"SELECT {columns} FROM items WHERE barcode {{IN}}",
            sorted({new.holding.barcode for new in items if new.holding.barcode}),
        )
    }
    inserts: list[_NewItem] = []
    updates: dict[int, tuple[Any, ...]] = {}
    seen: set[str] = set()
    for new in items:
        barcode = new.holding.barcode
        assert barcode is not None
        if barcode in seen:
            result.problems.append(
                new.prepared.problem(
                    Reason(
                        f"条码 {barcode} 在本批数据中重复出现，只按第一次出现的创建",
                        f"barcode {barcode} appears more than once in this import; the first "
                        "one was kept",
                    )
                )
            )
            continue
        seen.add(barcode)
        row = existing.get(barcode)
        if row is None:
            inserts.append(new)
        elif row[2] != new.slot.id:
            result.problems.append(
                new.prepared.problem(
                    Reason(
                        f"条码 {barcode} 已属于另一条书目（内部编号 {row[2]}），未改动该册",
                        f"barcode {barcode} already belongs to another record (id {row[2]}); "
                        "the item was left as it is",
                    )
                )
            )
        elif tuple(row[3:]) != new.description:
            updates[row[0]] = (row[0], *new.description)
    _insert_items(session, inserts, [new.holding.barcode or "" for new in inserts], now)
    result.items_created += len(inserts)
    if updates:
        bulk_update(session, "items", _DESCRIPTION_COLUMNS, list(updates.values()), versioned=True)
        result.items_updated += len(updates)


def _copies_to_generate(
    session: Session,
    slots: list[_Slot],
    unbarcoded: list[_NewItem],
    resolver: _HoldingResolver,
) -> list[_NewItem]:
    """The copies without a barcode still to create, so that a re-run creates none twice.

    Copies are counted per record, point, call number and volume: a holdings field
    without a barcode is satisfied by an existing copy with the same description
    whose barcode no holdings field of the record names. A record without holdings
    gets one copy at ``--items-at`` unless it has one there already.
    """
    at = resolver.at
    assert at is not None
    wanted: list[_NewItem] = list(unbarcoded)
    default_type = resolver.types.types[DEFAULT_ITEM_TYPE]
    for slot in slots:
        if not slot.holdings and slot.prepared is not None:
            holding = Holding("--items-at")
            wanted.append(
                _NewItem(
                    slot,
                    slot.prepared,
                    holding,
                    at.id,
                    resolver.description(at.id, holding, default_type),
                )
            )
    if not wanted:
        return []
    bib_ids = sorted({new.slot.id for new in wanted if new.slot.existing_id is not None})
    existing: dict[tuple[int, int, str | None, str | None], int] = defaultdict(int)
    present_at: set[tuple[int, int]] = set()
    named = {h.barcode for slot in slots for _, h in slot.holdings if h.barcode}
    for bib_id, owning_id, call_number, volume, barcode in select_in(
        session,
        "SELECT bib_id, owning_point_id, call_number, volume, barcode FROM items WHERE bib_id {IN}",
        bib_ids,
    ):
        present_at.add((bib_id, owning_id))
        if barcode not in named:
            existing[(bib_id, owning_id, call_number, volume)] += 1
    to_create: list[_NewItem] = []
    for new in wanted:
        owning_id, _, call_number = new.description[:3]
        if new.holding.tag == "--items-at":
            if (new.slot.id, at.id) not in present_at:
                to_create.append(new)
            continue
        key = (new.slot.id, owning_id, call_number, new.description[7])
        if existing[key] > 0:
            existing[key] -= 1
        else:
            to_create.append(new)
    return to_create


def _reserve_barcodes(session: Session, count: int) -> list[str]:
    """``count`` unused generated barcodes, numbered from the network-wide counter."""
    if count == 0:
        return []
    dialect = session.get_bind().dialect.name
    insert_new = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert_new(BarcodeSeries)
        .values(prefix=GENERATED_BARCODE_PREFIX, last_number=0)
        .on_conflict_do_nothing(index_elements=["prefix"])
    )
    barcodes: list[str] = []
    while len(barcodes) < count:
        needed = count - len(barcodes)
        last = session.execute(
            update(BarcodeSeries)
            .where(BarcodeSeries.prefix == GENERATED_BARCODE_PREFIX)
            .values(last_number=BarcodeSeries.last_number + needed)
            .returning(BarcodeSeries.last_number)
        ).scalar_one()
        candidates = [generated_barcode(n) for n in range(last - needed + 1, last + 1)]
        # A barcode typed by hand, or imported from another system, may already have
        # the generated form: skip it rather than fail the batch.
        taken = {
            row[0]
            for row in select_in(
                session, "SELECT barcode FROM items WHERE barcode {IN}", candidates
            )
        }
        barcodes.extend(b for b in candidates if b not in taken)
    return barcodes
