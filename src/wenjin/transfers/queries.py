"""Read side of transfers: courier manifests (物流交接单) and transit lists per point."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import and_, literal_column, or_, select
from sqlalchemy.orm import Session, aliased

from wenjin.catalog.errors import ItemNotFound
from wenjin.catalog.models import BibRecord, Item
from wenjin.circulation.models import Transit
from wenjin.circulation.queries import TransitLine, transits_expected, transits_leaving
from wenjin.circulation.states import TransitReason, TransitStatus
from wenjin.fees.queries import day_bounds
from wenjin.network.models import ServicePoint
from wenjin.network.queries import get_point_by_code, route_map
from wenjin.patrons.queries import network_date
from wenjin.transfers.errors import NoCourierLeg, NoTransitUnderWay, TransitNotFound, TransitOver
from wenjin.transfers.rules import dispatch


class Direction(StrEnum):
    OUTGOING = "outgoing"  # 调出: leaving this point
    INCOMING = "incoming"  # 调入: on the way here


def transit_list(
    session: Session, point: ServicePoint, direction: Direction | None = None
) -> dict[Direction, list[TransitLine]]:
    """Transits under way from and to ``point`` (one direction, or both)."""
    out: dict[Direction, list[TransitLine]] = {}
    if direction in (None, Direction.OUTGOING):
        out[Direction.OUTGOING] = transits_leaving(session, point)
    if direction in (None, Direction.INCOMING):
        out[Direction.INCOMING] = transits_expected(session, point)
    return out


@dataclass(frozen=True)
class TransitFacts:
    """One transit by its number: the item it carries, between which points, and its state."""

    transit_id: int
    barcode: str
    status: TransitStatus
    from_point: str
    to_point: str
    sent: bool


def transit_facts(session: Session, transit_id: int) -> TransitFacts:
    """The transit numbered ``transit_id``; TransitNotFound if there is none."""
    origin, destination = aliased(ServicePoint), aliased(ServicePoint)
    row = session.execute(
        select(Transit.status, Transit.sent_at, Item.barcode, origin.code, destination.code)
        .join(Item, Item.id == Transit.item_id)
        .join(origin, origin.id == Transit.from_point_id)
        .join(destination, destination.id == Transit.to_point_id)
        .where(Transit.id == transit_id)
    ).one_or_none()
    if row is None:
        raise TransitNotFound(transit_id)
    status, sent_at, barcode, from_code, to_code = row
    return TransitFacts(
        transit_id, barcode, TransitStatus(status), from_code, to_code, sent_at is not None
    )


def transit_under_way(session: Session, transit_id: int) -> TransitFacts:
    """The transit numbered ``transit_id`` if it is still under way (its item travelling);
    TransitOver once it was received, cancelled or lost."""
    facts = transit_facts(session, transit_id)
    if facts.status is not TransitStatus.IN_TRANSIT:
        raise TransitOver(transit_id, facts.barcode, facts.status.label_zh, facts.status.label_en)
    return facts


@dataclass(frozen=True)
class ManifestLine:
    """One item in the courier's hands: where it is finally going, and by which next stop."""

    transit_id: int
    barcode: str
    title: str
    call_number: str | None
    reason: TransitReason
    destination: str
    destination_name: str
    next_stop: str | None
    leaves_on: date | None
    arrives_on: date | None
    sent_at: datetime | None


@dataclass
class ManifestLeg:
    """What leaves the point on one courier leg on the manifest's day."""

    next_stop: str
    next_stop_name: str
    lines: list[ManifestLine] = field(default_factory=list)


@dataclass
class Manifest:
    """The courier manifest of a point for a day: per leg what leaves, and what waits."""

    point: str
    point_name: str
    day: date
    legs: list[ManifestLeg]
    waiting: list[ManifestLine]  # ready, but the courier of their leg runs on a later day
    no_route: list[ManifestLine]  # no courier legs join the point and the destination

    @property
    def leaving(self) -> int:
        return sum(len(leg.lines) for leg in self.legs)


_TO = aliased(ServicePoint)


def courier_manifest(session: Session, *, at: str, day: date, route: str | None = None) -> Manifest:
    """What leaves ``at`` on ``day``, grouped by the courier leg it leaves on.

    Counted in: items waiting in the box at ``at`` (not yet sent, put in transit
    on or before ``day``) and items sent from it on ``day``. Each leaves on the
    first leg of its quickest route, the first day that leg's courier runs;
    ``route`` (the code of the leg's next stop) keeps one leg.
    """
    point = get_point_by_code(session, at)
    routes = route_map(session)
    next_stops = {leg.target for leg in routes.legs_from(point.id)}
    only: int | None = None
    if route is not None:
        target = get_point_by_code(session, route)
        if target.id not in next_stops:
            raise NoCourierLeg(point.code, target.code)
        only = target.id
    start, end = day_bounds(day)
    rows = session.execute(
        select(Transit, Item.barcode, Item.call_number, BibRecord.title, _TO.code, _TO.name)
        .join(Item, Item.id == Transit.item_id)
        .join(BibRecord, BibRecord.id == Item.bib_id)
        .join(_TO, _TO.id == Transit.to_point_id)
        .where(
            Transit.from_point_id == point.id,
            or_(
                Transit.status == literal_column("'in_transit'"),
                # gone with the courier that day and received since
                and_(
                    Transit.status == literal_column("'received'"),
                    Transit.sent_at >= start,
                    Transit.sent_at < end,
                ),
            ),
        )
        .order_by(_TO.code, Transit.created_at, Transit.id)
    ).all()
    names = dict(
        session.execute(
            select(ServicePoint.id, ServicePoint.code).where(ServicePoint.id.in_(next_stops))
        ).all()
    )
    full_names = dict(
        session.execute(
            select(ServicePoint.code, ServicePoint.name).where(ServicePoint.id.in_(next_stops))
        ).all()
    )
    legs: dict[str, ManifestLeg] = {}
    waiting: list[ManifestLine] = []
    no_route: list[ManifestLine] = []
    for transit, barcode, call_number, title, to_code, to_name in rows:
        if transit.sent_at is not None:
            ready_on = network_date(transit.sent_at)
            if ready_on != day:
                continue
        else:
            ready_on = network_date(transit.created_at)
            if ready_on > day:
                continue
            ready_on = day
        way = dispatch(routes, point.id, transit.to_point_id, ready_on)
        line = ManifestLine(
            transit_id=transit.id,
            barcode=barcode,
            title=title,
            call_number=call_number,
            reason=transit.reason,
            destination=to_code,
            destination_name=to_name,
            next_stop=names.get(way.next_stop) if way else None,
            leaves_on=way.leaves_on if way else None,
            arrives_on=way.arrives_on if way else None,
            sent_at=transit.sent_at,
        )
        if way is None:
            if only is None:
                no_route.append(line)
            continue
        if only is not None and way.next_stop != only:
            continue
        if transit.sent_at is None and way.leaves_on != day:
            waiting.append(line)
            continue
        code = names[way.next_stop]
        legs.setdefault(code, ManifestLeg(code, full_names[code])).lines.append(line)
    return Manifest(
        point=point.code,
        point_name=point.name,
        day=day,
        legs=[legs[code] for code in sorted(legs)],
        waiting=waiting,
        no_route=no_route,
    )


def transit_of_item(session: Session, barcode: str) -> TransitFacts:
    """The transit under way of the item with ``barcode`` (for a desk that scans the item);
    ItemNotFound for an unknown barcode, NoTransitUnderWay if the item is not travelling."""
    code = barcode.strip()
    row = session.execute(
        select(Item.id, BibRecord.title)
        .join(BibRecord, BibRecord.id == Item.bib_id)
        .where(Item.barcode == code)
    ).one_or_none()
    if row is None:
        raise ItemNotFound(code or barcode)
    transit_id = session.scalar(
        select(Transit.id).where(
            Transit.item_id == row[0], Transit.status == literal_column("'in_transit'")
        )
    )
    if transit_id is None:
        raise NoTransitUnderWay(code, row[1])
    return transit_facts(session, transit_id)
