"""``wenjin catalog export``: the catalogue as MARC, with its items embedded.

Records stream out in id order, a batch at a time (keyset pagination: no offset
scans, constant memory), each in its own flavour or crosswalked to the one asked
for (:mod:`wenjin.catalog.marc.crosswalk`). Each item goes back into its record as a
holdings field (MARC21 952, CNMARC 905; see :mod:`wenjin.catalog.marc.holdings`), so
that importing an export gives back the same records and the same items.

An item's loan, transit or hold shelf belongs to circulation, not to the catalogue:
such an item is exported as a copy on its home shelf.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, aliased

from wenjin.catalog.marc.crosswalk import convert
from wenjin.catalog.marc.holdings import EXPORT_TAG, ItemForExport, holdings_field
from wenjin.catalog.marc.record import MarcRecord
from wenjin.catalog.marc.writing import ExportFormat, RecordTooLong, open_writer
from wenjin.catalog.models import BibRecord, Item, ItemType
from wenjin.catalog.states import ItemStatus, MarcFlavour
from wenjin.db.uow import UnitOfWork
from wenjin.network.models import ServicePoint
from wenjin.network.queries import descendant_ids, get_point_by_code

DEFAULT_BATCH_SIZE = 1000

_CIRCULATING = frozenset({ItemStatus.ON_LOAN, ItemStatus.IN_TRANSIT, ItemStatus.ON_HOLD_SHELF})


@dataclass(frozen=True)
class ExportProgress:
    records: int
    total: int


@dataclass
class ExportSummary:
    records: int = 0
    items: int = 0
    skipped: int = 0  # records ISO 2709 cannot hold (longer than 99,999 bytes)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    format: str = "iso2709"
    flavour: str | None = None


def run_export(
    engine: Engine,
    stream: BinaryIO,
    *,
    file_format: ExportFormat = "iso2709",
    flavour: MarcFlavour | None = None,
    point: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_progress: Callable[[ExportProgress], None] | None = None,
) -> ExportSummary:
    """Write the catalogue to ``stream``; ``point`` limits it to one point and those under it.

    With ``point``, the records exported are those with an item owned there (or under
    it), and only those items are embedded. Raises ``PointNotFound`` for an unknown
    point, before anything is written.
    """
    started = time.perf_counter()
    summary = ExportSummary(format=file_format, flavour=flavour.value if flavour else None)
    with UnitOfWork(engine, readonly=True) as uow:
        point_ids = _point_ids(uow.session, point)
        total = _count(uow.session, point_ids)
    writer = open_writer(stream, file_format, flavour or MarcFlavour.MARC21)
    last_id = 0
    while True:
        with UnitOfWork(engine, readonly=True) as uow:
            rows = _next_records(uow.session, last_id, batch_size, point_ids)
            if not rows:
                break
            items = _items_of(uow.session, [row.id for row in rows], point_ids)
        for row in rows:
            record_flavour = MarcFlavour(row.flavour)
            target = flavour or record_flavour
            record = convert(MarcRecord.from_json(row.marc), record_flavour, target)
            copies = items.get(row.id, [])
            record.add_fields(holdings_field(item, target) for item in copies)
            try:
                writer.write(record, target)
            except RecordTooLong as exc:
                summary.skipped += 1
                summary.problems.append(
                    f"记录 {row.id}（001 {row.control_number or '-'}）过长，ISO 2709 无法容纳，"
                    f"请改用 MARCXML 导出 / record {row.id} (001 {row.control_number or '-'}): "
                    f"{exc}; export it as MARCXML"
                )
                continue
            summary.records += 1
            summary.items += len(copies)
        last_id = rows[-1].id
        if on_progress is not None:
            on_progress(ExportProgress(summary.records + summary.skipped, total))
    writer.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _point_ids(session: Session, code: str | None) -> set[int] | None:
    if code is None:
        return None
    return descendant_ids(session, get_point_by_code(session, code).id)


def _holding_records(point_ids: set[int]) -> object:
    return select(Item.bib_id).where(Item.owning_point_id.in_(sorted(point_ids)))


def _count(session: Session, point_ids: set[int] | None) -> int:
    query = select(func.count()).select_from(BibRecord)
    if point_ids is not None:
        query = query.where(BibRecord.id.in_(_holding_records(point_ids)))  # type: ignore[arg-type]
    return session.scalar(query) or 0


def _next_records(
    session: Session, after: int, limit: int, point_ids: set[int] | None
) -> list[BibRecord]:
    query = (
        select(BibRecord.id, BibRecord.flavour, BibRecord.marc, BibRecord.control_number)
        .where(BibRecord.id > after)
        .order_by(BibRecord.id)
        .limit(limit)
    )
    if point_ids is not None:
        query = query.where(BibRecord.id.in_(_holding_records(point_ids)))  # type: ignore[arg-type]
    return list(session.execute(query).all())  # type: ignore[arg-type]


def _items_of(
    session: Session, bib_ids: list[int], point_ids: set[int] | None
) -> dict[int, list[ItemForExport]]:
    home = aliased(ServicePoint, name="home")
    here = aliased(ServicePoint, name="here")
    query = (
        select(Item, home.code, here.code, ItemType.code)
        .join(home, Item.owning_point_id == home.id)
        .join(here, Item.current_point_id == here.id)
        .join(ItemType, Item.item_type_id == ItemType.id)
        .where(Item.bib_id.in_(bib_ids))
        .order_by(Item.bib_id, Item.barcode)
    )
    if point_ids is not None:
        query = query.where(Item.owning_point_id.in_(sorted(point_ids)))
    items: dict[int, list[ItemForExport]] = defaultdict(list)
    for item, home_code, here_code, type_code in session.execute(query):
        circulating = item.status in _CIRCULATING
        items[item.bib_id].append(
            ItemForExport(
                barcode=item.barcode,
                owning_code=home_code,
                current_code=home_code if circulating else here_code,
                location=item.location,
                call_number=item.call_number,
                volume=item.volume,
                item_type=type_code,
                price_fen=item.price_fen,
                acquired_on=item.acquired_on,
                status=ItemStatus.AVAILABLE if circulating else item.status,
                floating=item.floating,
            )
        )
    return items


__all__ = ["EXPORT_TAG", "ExportProgress", "ExportSummary", "run_export"]
