"""The read side of the catalogue: records and items as pages and lists show them.

Functions here take a session and only read; the web pages, the CLI and (later)
the API and SRU server call them inside a read-only unit of work.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, Integer, column, func, select, table
from sqlalchemy.orm import Session, aliased
from stdnum import isbn as stdnum_isbn
from stdnum.exceptions import ValidationError

from wenjin.catalog.errors import AmbiguousRecord, ItemNotFound, RecordNotFound
from wenjin.catalog.models import BibIsbn, BibRecord, Item, ItemType
from wenjin.catalog.rules import split_call_number
from wenjin.catalog.states import LENDABLE_STATUSES, ItemStatus, MarcFlavour
from wenjin.network.models import ServicePoint

# --- Record pages (web): the record with its copies per point, the newest records, counts ---

_MAX_INTEGER_ID = 2**31 - 1  # ids are INTEGER columns; a larger number cannot be a record


@dataclass(frozen=True)
class DisplayIsbn:
    """An ISBN as a reader should see it: hyphenated when valid, as catalogued when not."""

    isbn: str
    display: str
    valid: bool
    qualifier: str | None


@dataclass(frozen=True)
class MarcField:
    """One field of the MARC view: a control field has ``value``, a data field ``subfields``."""

    tag: str
    value: str | None = None
    ind1: str = " "
    ind2: str = " "
    subfields: tuple[tuple[str, str], ...] = ()

    @property
    def is_control(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class RecordCopy:
    barcode: str
    call_number: str | None
    location: str | None
    volume: str | None
    item_type: str
    item_type_en: str | None
    status: ItemStatus
    home_code: str
    home_name: str
    home_name_en: str | None
    away_from_home: bool
    due_on: date | None = None  # on loan: when it is due back


@dataclass(frozen=True)
class CopiesAtPoint:
    """The copies of one record whose current point (or transit destination) is one point."""

    point_code: str
    point_name: str
    point_name_en: str | None
    copies: tuple[RecordCopy, ...]

    @property
    def available(self) -> int:
        return sum(1 for copy in self.copies if copy.status in LENDABLE_STATUSES)


@dataclass(frozen=True)
class RecordPage:
    """Everything the public record page shows, read in one unit of work."""

    id: int
    source: str
    control_number: str | None
    flavour: MarcFlavour
    title: str
    title_parallel: tuple[str, ...]
    responsibility: str | None
    authors: tuple[str, ...]
    edition: str | None
    publisher: str | None
    pub_place: str | None
    year: int | None
    language: str | None
    isbns: tuple[DisplayIsbn, ...]
    clc: str | None
    subjects: tuple[str, ...]
    series: tuple[str, ...]
    price_fen: int | None
    leader: str | None
    marc_fields: tuple[MarcField, ...]
    holdings: tuple[CopiesAtPoint, ...]

    @property
    def copies_total(self) -> int:
        return sum(len(group.copies) for group in self.holdings)

    @property
    def copies_available(self) -> int:
        return sum(group.available for group in self.holdings)


@dataclass(frozen=True)
class RecordSummary:
    id: int
    title: str
    responsibility: str | None
    authors: tuple[str, ...]
    publisher: str | None
    year: int | None
    clc: str | None


@dataclass(frozen=True)
class PointHoldings:
    """How many items a point holds: 馆藏 (its own, not withdrawn) and on its shelves now."""

    owned: int
    on_shelf: int


def record_page(session: Session, record_id: int) -> RecordPage:
    """The record ``record_id`` with its ISBNs, MARC fields and copies grouped by point.

    Copies are grouped by their current point, which for an item in transit is
    where it is heading; groups follow the network's sort order. Withdrawn
    copies (剔旧) are left out: they are no longer in the collection.
    """
    if not 0 < record_id <= _MAX_INTEGER_ID:
        raise RecordNotFound(str(record_id))
    bib = session.get(BibRecord, record_id)
    if bib is None:
        raise RecordNotFound(str(record_id))
    isbns = session.scalars(
        select(BibIsbn).where(BibIsbn.bib_id == bib.id).order_by(BibIsbn.position, BibIsbn.id)
    ).all()
    leader, marc_fields = marc_view(bib.marc)
    return RecordPage(
        id=bib.id,
        source=bib.source,
        control_number=bib.control_number,
        flavour=bib.flavour,
        title=bib.title,
        title_parallel=tuple(bib.title_parallel or ()),
        responsibility=bib.responsibility,
        authors=tuple(bib.authors or ()),
        edition=bib.edition,
        publisher=bib.publisher,
        pub_place=bib.pub_place,
        year=bib.year,
        language=bib.language,
        isbns=tuple(_display_isbn(row) for row in isbns),
        clc=bib.clc,
        subjects=tuple(bib.subjects or ()),
        series=tuple(bib.series or ()),
        price_fen=bib.price_fen,
        leader=leader,
        marc_fields=marc_fields,
        holdings=_copies_by_point(session, bib.id),
    )


def _display_isbn(row: BibIsbn) -> DisplayIsbn:
    display = row.isbn
    if row.valid:
        try:
            display = stdnum_isbn.format(row.isbn)
        except ValidationError:
            display = row.isbn
    return DisplayIsbn(isbn=row.isbn, display=display, valid=row.valid, qualifier=row.qualifier)


# The loans table as the catalogue sees it (circulation builds on the catalogue, not the
# other way round): enough to say until when a copy is out.
_OPEN_LOANS = table(
    "loans",
    column("item_id", Integer),
    column("due_on", Date),
    column("returned_at", DateTime),
)


def _copies_by_point(session: Session, bib_id: int) -> tuple[CopiesAtPoint, ...]:
    here = aliased(ServicePoint, name="here")
    home = aliased(ServicePoint, name="home")
    rows = session.execute(
        select(Item, ItemType, here, home, _OPEN_LOANS.c.due_on)
        .join(ItemType, Item.item_type_id == ItemType.id)
        .join(here, Item.current_point_id == here.id)
        .join(home, Item.owning_point_id == home.id)
        .outerjoin(
            _OPEN_LOANS,
            (_OPEN_LOANS.c.item_id == Item.id) & _OPEN_LOANS.c.returned_at.is_(None),
        )
        .where(Item.bib_id == bib_id, Item.status != ItemStatus.WITHDRAWN)
        .order_by(here.sort_order, here.code, Item.call_number, Item.volume, Item.barcode)
    ).all()
    groups: dict[int, list[RecordCopy]] = {}
    points: dict[int, ServicePoint] = {}
    for item, item_type, point, owner, due_on in rows:
        points.setdefault(point.id, point)
        groups.setdefault(point.id, []).append(
            RecordCopy(
                barcode=item.barcode,
                call_number=item.call_number,
                location=item.location,
                volume=item.volume,
                item_type=item_type.name,
                item_type_en=item_type.name_en,
                status=item.status,
                home_code=owner.code,
                home_name=owner.name,
                home_name_en=owner.name_en,
                away_from_home=owner.id != point.id,
                due_on=due_on,
            )
        )
    return tuple(
        CopiesAtPoint(
            point_code=points[point_id].code,
            point_name=points[point_id].name,
            point_name_en=points[point_id].name_en,
            copies=tuple(copies),
        )
        for point_id, copies in groups.items()
    )


def marc_view(marc_json: str) -> tuple[str | None, tuple[MarcField, ...]]:
    """The leader and fields of a stored MARC-in-JSON record, for display."""
    data = json.loads(marc_json)
    fields: list[MarcField] = []
    for entry in data.get("fields", []):
        for tag, body in entry.items():
            if isinstance(body, dict):
                subfields = tuple(
                    (code, str(value))
                    for subfield in body.get("subfields", [])
                    for code, value in subfield.items()
                )
                fields.append(
                    MarcField(
                        tag=tag,
                        ind1=body.get("ind1", " "),
                        ind2=body.get("ind2", " "),
                        subfields=subfields,
                    )
                )
            else:
                fields.append(MarcField(tag=tag, value=str(body)))
    return data.get("leader"), tuple(fields)


SUMMARY_COLUMNS = (
    BibRecord.id,
    BibRecord.title,
    BibRecord.responsibility,
    BibRecord.authors,
    BibRecord.publisher,
    BibRecord.year,
    BibRecord.clc,
)


def record_summaries(rows: Iterable[Any]) -> list[RecordSummary]:
    """Rows of :data:`SUMMARY_COLUMNS` as summaries for a list of titles."""
    return [
        RecordSummary(
            id=row.id,
            title=row.title,
            responsibility=row.responsibility,
            authors=tuple(row.authors or ()),
            publisher=row.publisher,
            year=row.year,
            clc=row.clc,
        )
        for row in rows
    ]


def recent_records(session: Session, limit: int = 10) -> list[RecordSummary]:
    """The ``limit`` records added last, newest first."""
    return record_summaries(
        session.execute(select(*SUMMARY_COLUMNS).order_by(BibRecord.id.desc()).limit(limit))
    )


def catalogue_counts(session: Session) -> dict[str, int]:
    """``{"records": …, "items": …}``: titles, and copies still in the collection."""
    records = session.scalar(select(func.count()).select_from(BibRecord)) or 0
    items = (
        session.scalar(
            select(func.count()).select_from(Item).where(Item.status != ItemStatus.WITHDRAWN)
        )
        or 0
    )
    return {"records": records, "items": items}


def point_holdings(session: Session, point_id: int) -> PointHoldings:
    """Items that belong to a point (not withdrawn) and items on its shelves now."""
    owned = session.scalar(
        select(func.count())
        .select_from(Item)
        .where(Item.owning_point_id == point_id, Item.status != ItemStatus.WITHDRAWN)
    )
    on_shelf = session.scalar(
        select(func.count())
        .select_from(Item)
        .where(Item.current_point_id == point_id, Item.status == ItemStatus.AVAILABLE)
    )
    return PointHoldings(owned=owned or 0, on_shelf=on_shelf or 0)


# --- Looking records and items up (the CLI, the desk, other domains) ---


def find_record(session: Session, ref: str) -> BibRecord:
    """The record ``ref`` names: its 001 control number, or its internal id.

    ``#123`` (or ``id:123``) is always the internal id. A bare number may be either;
    when a 001 and an internal id both match, and they are different records,
    :class:`AmbiguousRecord` asks for the ``#`` form.
    """
    text = ref.strip()
    explicit_id = text[1:] if text.startswith("#") else text[3:] if text.startswith("id:") else None
    if explicit_id is not None:
        if not explicit_id.isdigit() or not 0 < int(explicit_id) <= _MAX_INTEGER_ID:
            raise RecordNotFound(ref)
        record = session.get(BibRecord, int(explicit_id))
        if record is None:
            raise RecordNotFound(ref)
        return record
    matches = list(
        session.scalars(select(BibRecord).where(BibRecord.control_number == text).limit(10))
    )
    if text.isdigit() and 0 < int(text) <= _MAX_INTEGER_ID:
        by_id = session.get(BibRecord, int(text))
        if by_id is not None and by_id not in matches:
            matches.append(by_id)
    if not matches:
        raise RecordNotFound(ref)
    if len(matches) > 1:
        raise AmbiguousRecord(ref, len(matches))
    return matches[0]


def get_item_by_barcode(session: Session, barcode: str) -> Item:
    """The item with ``barcode`` (as scanned, surrounding blanks ignored), or ItemNotFound."""
    item = session.scalars(select(Item).where(Item.barcode == barcode.strip())).one_or_none()
    if item is None:
        raise ItemNotFound(barcode)
    return item


@dataclass(frozen=True)
class PointRef:
    code: str
    name: str


@dataclass(frozen=True)
class ItemDetails:
    """An item as the desk and ``wenjin item show`` describe it."""

    barcode: str
    record_id: int
    title: str
    status: ItemStatus
    owning_point: PointRef
    current_point: PointRef
    call_number: str | None
    item_type: str
    item_type_name: str
    price_fen: int | None
    location: str | None
    volume: str | None
    acquired_on: date | None
    floating: bool
    sip_properties: str | None = None  # what a self-check machine stored (SIP2 19)
    loan: None = None  # the circulation issue fills this in

    @property
    def status_label(self) -> str:
        return self.status.label_zh


def item_details(session: Session, barcode: str) -> ItemDetails:
    """Everything about one item for display; ItemNotFound for an unknown barcode."""
    item = get_item_by_barcode(session, barcode)
    home, here, item_type, bib = item.owning_point, item.current_point, item.item_type, item.bib
    return ItemDetails(
        barcode=item.barcode,
        record_id=bib.id,
        title=bib.title,
        status=item.status,
        owning_point=PointRef(home.code, home.name),
        current_point=PointRef(here.code, here.name),
        call_number=item.call_number,
        item_type=item_type.code,
        item_type_name=item_type.name,
        price_fen=item.price_fen,
        location=item.location,
        volume=item.volume,
        acquired_on=item.acquired_on,
        floating=item.floating,
        sip_properties=item.sip_properties,
    )


# --- The cataloguer's views: every copy of a record, spine labels (书标) ---


@dataclass(frozen=True)
class CatalogueCopy:
    """A copy as the cataloguer edits it, withdrawn ones included."""

    barcode: str
    status: ItemStatus
    owning_code: str
    owning_name: str
    current_code: str
    current_name: str
    item_type: str
    item_type_name: str
    call_number: str | None
    location: str | None
    price_fen: int | None
    volume: str | None
    note: str | None
    floating: bool
    acquired_on: date | None
    version: int


def catalogue_copies(session: Session, bib_id: int) -> list[CatalogueCopy]:
    """Every copy of record ``bib_id``, by home point's order, call number and barcode."""
    here = aliased(ServicePoint, name="here")
    home = aliased(ServicePoint, name="home")
    rows = session.execute(
        select(Item, ItemType, home, here)
        .join(ItemType, Item.item_type_id == ItemType.id)
        .join(home, Item.owning_point_id == home.id)
        .join(here, Item.current_point_id == here.id)
        .where(Item.bib_id == bib_id)
        .order_by(home.sort_order, home.code, Item.call_number, Item.volume, Item.barcode)
    ).all()
    return [
        CatalogueCopy(
            barcode=item.barcode,
            status=item.status,
            owning_code=owner.code,
            owning_name=owner.name,
            current_code=point.code,
            current_name=point.name,
            item_type=item_type.code,
            item_type_name=item_type.name,
            call_number=item.call_number,
            location=item.location,
            price_fen=item.price_fen,
            volume=item.volume,
            note=item.note,
            floating=item.floating,
            acquired_on=item.acquired_on,
            version=item.version,
        )
        for item, item_type, owner, point in rows
    ]


def item_type_choices(session: Session) -> list[tuple[str, str]]:
    """``(code, name)`` of every item type, for a form's list."""
    return [
        (code, name)
        for code, name in session.execute(
            select(ItemType.code, ItemType.name).order_by(ItemType.code)
        )
    ]


@dataclass(frozen=True)
class SpineLabel:
    """What a spine label (书标) of one copy prints: the call number in two lines, the point."""

    barcode: str
    class_number: str
    book_number: str
    call_number: str | None
    volume: str | None
    point_code: str
    point_name: str
    title: str


def spine_labels(session: Session, barcodes: Iterable[str]) -> tuple[list[SpineLabel], list[str]]:
    """The labels of ``barcodes`` in the order given, and the barcodes that are no item."""
    wanted = list(dict.fromkeys(b.strip() for b in barcodes if b.strip()))
    if not wanted:
        return [], []
    rows = session.execute(
        select(Item.barcode, Item.call_number, Item.volume, ServicePoint, BibRecord.title)
        .join(ServicePoint, Item.owning_point_id == ServicePoint.id)
        .join(BibRecord, Item.bib_id == BibRecord.id)
        .where(Item.barcode.in_(wanted))
    ).all()
    found = {row.barcode: row for row in rows}
    labels = []
    for barcode in wanted:
        row = found.get(barcode)
        if row is None:
            continue
        class_number, book_number = split_call_number(row.call_number)
        labels.append(
            SpineLabel(
                barcode=barcode,
                class_number=class_number,
                book_number=book_number,
                call_number=row.call_number,
                volume=row.volume,
                point_code=row.ServicePoint.code,
                point_name=row.ServicePoint.name,
                title=row.title,
            )
        )
    return labels, [b for b in wanted if b not in found]


def items_added(
    session: Session, *, point_id: int, since: datetime, until: datetime, limit: int = 1000
) -> list[str]:
    """Barcodes of the copies owned by a point that were added between two instants."""
    return list(
        session.scalars(
            select(Item.barcode)
            .where(
                Item.owning_point_id == point_id,
                Item.created_at >= since,
                Item.created_at < until,
                Item.status != ItemStatus.WITHDRAWN,
            )
            .order_by(Item.call_number, Item.barcode)
            .limit(limit)
        )
    )


# --- Finding a title at the desk (a hold for a reader at the counter) ---

DESK_FIND_LIMIT = 20


def _isbn_forms(text: str) -> list[str]:
    """The forms an ISBN typed at the desk may be stored in: compact, ISBN-13, ISBN-10."""
    compact = text.replace("-", "").replace(" ", "").upper()
    if len(compact) not in (10, 13) or not all(c.isdigit() or c == "X" for c in compact):
        return []
    forms = [compact]
    try:
        if len(compact) == 10:
            forms.append(stdnum_isbn.to_isbn13(compact))
        elif compact.startswith("978"):
            forms.append(stdnum_isbn.to_isbn10(compact))
    except ValidationError:
        pass
    return forms


def find_records_at_desk(
    session: Session, text: str, *, limit: int = DESK_FIND_LIMIT
) -> list[RecordSummary]:
    """Titles for a hold at the desk: by ISBN (any form), by an item's barcode, or by words
    of the title; the first ``limit``, newest record first."""
    words = " ".join(text.split())
    if not words:
        return []
    isbns = _isbn_forms(words)
    ids = select(BibIsbn.bib_id).where(BibIsbn.isbn.in_(isbns)) if isbns else None
    by_barcode = select(Item.bib_id).where(Item.barcode == words)
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    condition = BibRecord.title.like(f"%{escaped}%", escape="\\") | BibRecord.id.in_(by_barcode)
    if ids is not None:
        condition = condition | BibRecord.id.in_(ids)
    return record_summaries(
        session.execute(
            select(*SUMMARY_COLUMNS).where(condition).order_by(BibRecord.id.desc()).limit(limit)
        )
    )
