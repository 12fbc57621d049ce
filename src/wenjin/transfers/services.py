"""Use cases of transfers (调拨): send an item by hand, cancel a transit, record one lost.

Receiving is circulation's :func:`~wenjin.circulation.services.receive_transit`,
and every transit, whatever its reason, is circulation's one ``Transit`` row:
these use cases add the librarian's own moves to it. Each writes its log entry
in the same transaction; keyword-only arguments, a session in, never a commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import literal_column, select
from sqlalchemy.orm import Session

from wenjin.catalog.errors import ItemNotFound
from wenjin.catalog.models import BibRecord, Item
from wenjin.catalog.states import ItemStatus, check_item_transition
from wenjin.circulation.log import append_event
from wenjin.circulation.lookups import PointFacts, point_by_code, point_by_id, point_facts
from wenjin.circulation.models import Transit
from wenjin.circulation.services import start_transit
from wenjin.circulation.states import (
    CirculationAction,
    TransitReason,
    TransitStatus,
    check_transit_transition,
)
from wenjin.circulation.writes import update_row
from wenjin.db.types import utcnow
from wenjin.network.models import ServicePoint
from wenjin.patrons.queries import network_date
from wenjin.transfers.errors import (
    CannotSendItem,
    NotALostStatus,
    NoTransitUnderWay,
    SameOriginAndDestination,
    TransitAlreadySent,
)
from wenjin.transfers.queries import courier_manifest

PointRef = ServicePoint | PointFacts | str

LOST_IN_TRANSIT_STATUSES = (ItemStatus.MISSING, ItemStatus.LOST)


@dataclass(frozen=True)
class TransferResult:
    """One transit as the desk needs it after a send, a cancellation or a loss."""

    transit_id: int
    barcode: str
    title: str | None
    status: TransitStatus
    from_point: str
    to_point: str
    to_point_name: str
    item_status: ItemStatus
    item_point: str  # where the item is (or is heading) now


def _point(session: Session, point: PointRef) -> PointFacts:
    if isinstance(point, PointFacts):
        return point
    if isinstance(point, ServicePoint):
        return point_facts(point)
    return point_by_code(session, point)


def _item_for_update(session: Session, barcode: str) -> tuple[Item, str | None]:
    code = barcode.strip()
    row = session.execute(
        select(Item, BibRecord.title)
        .join(BibRecord, BibRecord.id == Item.bib_id)
        .where(Item.barcode == code)
        .with_for_update(of=Item)
    ).one_or_none()
    if row is None:
        raise ItemNotFound(code or barcode)
    return row[0], row[1]


def _transit_under_way(session: Session, item: Item, title: str | None) -> Transit:
    transit = session.scalars(
        select(Transit)
        .where(Transit.item_id == item.id, Transit.status == literal_column("'in_transit'"))
        .with_for_update()
    ).one_or_none()
    if transit is None:
        raise NoTransitUnderWay(item.barcode, title)
    return transit


def _note(previous: str | None, line: str) -> str:
    return f"{previous}\n{line}" if previous else line


_NOT_SENDABLE: dict[ItemStatus, tuple[str, str]] = {
    ItemStatus.ON_LOAN: ("请读者还书后再调拨", "check it in first"),
    ItemStatus.IN_TRANSIT: (
        "已在调拨途中，如需改送请先取消调拨",
        "cancel the transit under way first to send it elsewhere",
    ),
    ItemStatus.ON_HOLD_SHELF: ("请先处理预约", "deal with the hold first"),
}


def send_item(
    session: Session,
    *,
    at: PointRef,
    barcode: str,
    to: PointRef,
    note: str | None = None,
    now: datetime | None = None,
    actor: str | None = None,
) -> TransferResult:
    """A manual transfer (人工调拨): an item on the shelf at ``at`` goes in transit to ``to``."""
    now = now or utcnow()
    here = _point(session, at)
    destination = _point(session, to)
    item, title = _item_for_update(session, barcode)
    if item.status is not ItemStatus.AVAILABLE:
        todo = _NOT_SENDABLE.get(item.status, ("请交给馆员处理", "pass it to a librarian"))
        raise CannotSendItem(
            item.barcode,
            title,
            f"当前状态为「{item.status.label_zh}」",
            f"it is {item.status.label_en.lower()}",
            *todo,
        )
    if item.current_point_id != here.id:
        there = point_by_id(session, item.current_point_id)
        raise CannotSendItem(
            item.barcode,
            title,
            f"此书在 {there.name}（{there.code}）在架，不在 {here.code}",
            f"it is on the shelf at {there.code}, not at {here.code}",
            f"请在 {there.code} 办理调拨",
            f"send it from {there.code}",
        )
    if destination.id == here.id:
        raise SameOriginAndDestination(here.code)
    text = " ".join(note.split()) if note else None
    transit_id = start_transit(
        session,
        item=item,
        from_point=here,
        to_point=destination,
        reason=TransitReason.MANUAL,
        now=now,
        actor=actor,
        note=text or None,
    )
    return TransferResult(
        transit_id=transit_id,
        barcode=item.barcode,
        title=title,
        status=TransitStatus.IN_TRANSIT,
        from_point=here.code,
        to_point=destination.code,
        to_point_name=destination.name,
        item_status=item.status,
        item_point=destination.code,
    )


def cancel_transit(
    session: Session,
    *,
    barcode: str,
    at: PointRef | None = None,
    reason: str | None = None,
    now: datetime | None = None,
    actor: str | None = None,
) -> TransferResult:
    """Cancel the transit under way (调拨取消): the item goes back on the shelf where it is.

    Still in the box at its origin (not yet sent), that is the origin; once the
    courier has taken it, ``at`` says where it is now.
    """
    now = now or utcnow()
    item, title = _item_for_update(session, barcode)
    transit = _transit_under_way(session, item, title)
    origin = point_by_id(session, transit.from_point_id)
    destination = point_by_id(session, transit.to_point_id)
    if at is not None:
        where = _point(session, at)
    elif transit.sent_at is None:
        where = origin
    else:
        raise TransitAlreadySent(item.barcode, title, destination.code)
    check_transit_transition(transit.status, TransitStatus.CANCELLED)
    why = " ".join(reason.split()) if reason else ""
    line = f"取消：{why}" if why else "取消"
    update_row(
        session,
        transit,
        {"status": TransitStatus.CANCELLED, "note": _note(transit.note, line)},
        label=item.barcode,
    )
    check_item_transition(item.status, ItemStatus.AVAILABLE)
    update_row(
        session,
        item,
        {"status": ItemStatus.AVAILABLE, "status_changed_at": now, "current_point_id": where.id},
        label=item.barcode,
    )
    append_event(
        session,
        action=CirculationAction.TRANSIT_CANCELLED,
        point=where.id,
        actor=actor,
        item_id=item.id,
        loan_id=transit.loan_id,
        before={"item_status": ItemStatus.IN_TRANSIT, "transit_id": transit.id},
        after={
            "item_status": ItemStatus.AVAILABLE,
            "current_point_id": where.id,
            "reason": why or None,
        },
        at=now,
    )
    return TransferResult(
        transit_id=transit.id,
        barcode=item.barcode,
        title=title,
        status=TransitStatus.CANCELLED,
        from_point=origin.code,
        to_point=destination.code,
        to_point_name=destination.name,
        item_status=ItemStatus.AVAILABLE,
        item_point=where.code,
    )


def transit_lost(
    session: Session,
    *,
    barcode: str,
    mark: ItemStatus = ItemStatus.MISSING,
    note: str | None = None,
    now: datetime | None = None,
    actor: str | None = None,
) -> TransferResult:
    """Record a transit lost on the way (途中丢失): the transit ends as lost and the item is
    marked missing (the default: the courier may still find it) or lost. If it turns up,
    ``wenjin circ found`` puts it back in circulation."""
    now = now or utcnow()
    if mark not in LOST_IN_TRANSIT_STATUSES:
        raise NotALostStatus(str(mark))
    item, title = _item_for_update(session, barcode)
    transit = _transit_under_way(session, item, title)
    origin = point_by_id(session, transit.from_point_id)
    destination = point_by_id(session, transit.to_point_id)
    check_transit_transition(transit.status, TransitStatus.LOST)
    text = " ".join(note.split()) if note else ""
    update_row(
        session,
        transit,
        {
            "status": TransitStatus.LOST,
            "note": _note(transit.note, f"途中丢失：{text}" if text else "途中丢失"),
        },
        label=item.barcode,
    )
    check_item_transition(item.status, mark)
    update_row(session, item, {"status": mark, "status_changed_at": now}, label=item.barcode)
    append_event(
        session,
        action=CirculationAction.TRANSIT_LOST,
        point=transit.from_point_id,
        actor=actor,
        item_id=item.id,
        loan_id=transit.loan_id,
        before={"item_status": ItemStatus.IN_TRANSIT, "transit_id": transit.id},
        after={"item_status": mark, "transit_status": TransitStatus.LOST, "note": text or None},
        at=now,
    )
    return TransferResult(
        transit_id=transit.id,
        barcode=item.barcode,
        title=title,
        status=TransitStatus.LOST,
        from_point=origin.code,
        to_point=destination.code,
        to_point_name=destination.name,
        item_status=mark,
        item_point=destination.code,
    )


def hand_to_courier(
    session: Session,
    *,
    at: str,
    day: date | None = None,
    route: str | None = None,
    now: datetime | None = None,
    actor: str | None = None,
) -> list[int]:
    """The courier has taken the boxes (交接): every item of ``at``'s manifest that leaves
    today (on one leg, with ``route``) is now sent. Items waiting for a later courier stay
    in the box. Returns the ids of the transits sent."""
    now = now or utcnow()
    manifest = courier_manifest(session, at=at, day=day or network_date(now), route=route)
    ids = [line.transit_id for leg in manifest.legs for line in leg.lines if line.sent_at is None]
    transits = session.scalars(
        select(Transit).where(Transit.id.in_(ids), Transit.sent_at.is_(None)).with_for_update()
    ).all()
    for transit in transits:
        update_row(session, transit, {"sent_at": now}, label=str(transit.item_id))
        append_event(
            session,
            action=CirculationAction.TRANSIT_SENT,
            point=transit.from_point_id,
            actor=actor,
            item_id=transit.item_id,
            before={"transit_id": transit.id, "sent_at": None},
            after={"transit_id": transit.id, "sent_at": now},
            at=now,
        )
    return sorted(t.id for t in transits)
