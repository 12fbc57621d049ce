"""Read side of rotating collections: lists, one collection in full, plans, collections due back."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from wenjin.catalog.models import BibRecord, Item
from wenjin.catalog.states import ItemStatus
from wenjin.network.models import ServicePoint
from wenjin.rotation.errors import CollectionNotFound, PlanNotFound
from wenjin.rotation.models import (
    CollectionMember,
    CollectionStay,
    RotatingCollection,
    RotationPlan,
    RotationStop,
)
from wenjin.rotation.rules import next_stop, stay_is_over
from wenjin.rotation.states import CollectionKind, CollectionStatus


@dataclass(frozen=True)
class CollectionLine:
    code: str
    name: str
    kind: CollectionKind
    status: CollectionStatus
    home: str
    station: str | None
    station_name: str | None
    plan: str | None
    items: int
    due_back_on: date | None


@dataclass(frozen=True)
class MemberLine:
    barcode: str
    title: str
    call_number: str | None
    status: ItemStatus
    current_point: str
    home: str


@dataclass(frozen=True)
class StayLine:
    point: str
    point_name: str
    sent_at: datetime | None
    arrived_at: datetime | None
    due_back_on: date | None
    left_at: datetime | None
    items_sent: int
    items_following: int


@dataclass(frozen=True)
class CollectionDetail:
    collection: CollectionLine
    note: str | None
    items_by_status: dict[str, int]
    items: list[MemberLine]
    stays: list[StayLine]


_HOME = aliased(ServicePoint)
_STATION = aliased(ServicePoint)
_member_count = (
    select(func.count(CollectionMember.id))
    .where(
        CollectionMember.collection_id == RotatingCollection.id,
        CollectionMember.removed_at.is_(None),
    )
    .correlate(RotatingCollection)
    .scalar_subquery()
)
_open_stay_due = (
    select(func.max(CollectionStay.due_back_on))
    .where(
        CollectionStay.collection_id == RotatingCollection.id,
        CollectionStay.left_at.is_(None),
    )
    .correlate(RotatingCollection)
    .scalar_subquery()
)


def _lines_statement() -> Select[Any]:
    return (
        select(
            RotatingCollection,
            _HOME.code,
            _STATION.code,
            _STATION.name,
            RotationPlan.code,
            _member_count,
            _open_stay_due,
        )
        .join(_HOME, _HOME.id == RotatingCollection.home_point_id)
        .outerjoin(_STATION, _STATION.id == RotatingCollection.station_point_id)
        .outerjoin(RotationPlan, RotationPlan.id == RotatingCollection.plan_id)
        .order_by(RotatingCollection.code)
    )


def _line(row: Any) -> CollectionLine:
    collection, home, station, station_name, plan, items, due = row
    return CollectionLine(
        code=collection.code,
        name=collection.name,
        kind=collection.kind,
        status=collection.status,
        home=home,
        station=station,
        station_name=station_name,
        plan=plan,
        items=int(items or 0),
        due_back_on=due if collection.status is CollectionStatus.AT_STATION else None,
    )


def list_collections(
    session: Session,
    *,
    status: CollectionStatus | None = None,
    point: ServicePoint | None = None,
    kind: CollectionKind | None = None,
) -> list[CollectionLine]:
    """Collections by code; ``point`` keeps those at home there or assigned to it as a station."""
    stmt = _lines_statement()
    if status is not None:
        stmt = stmt.where(RotatingCollection.status == status)
    if kind is not None:
        stmt = stmt.where(RotatingCollection.kind == kind)
    if point is not None:
        stmt = stmt.where(
            (RotatingCollection.home_point_id == point.id)
            | (RotatingCollection.station_point_id == point.id)
        )
    return [_line(row) for row in session.execute(stmt)]


def collection_detail(session: Session, code: str) -> CollectionDetail:
    """One collection: where it is, its items and where each is, its stays so far."""
    wanted = code.strip()
    row = session.execute(_lines_statement().where(RotatingCollection.code == wanted)).one_or_none()
    if row is None:
        raise CollectionNotFound(wanted or code)
    line = _line(row)
    collection: RotatingCollection = row[0]
    here = aliased(ServicePoint)
    home = aliased(ServicePoint)
    items = [
        MemberLine(barcode, title, call_number, status, current, owner)
        for barcode, title, call_number, status, current, owner in session.execute(
            select(
                Item.barcode, BibRecord.title, Item.call_number, Item.status, here.code, home.code
            )
            .join(CollectionMember, CollectionMember.item_id == Item.id)
            .join(BibRecord, BibRecord.id == Item.bib_id)
            .join(here, here.id == Item.current_point_id)
            .join(home, home.id == Item.owning_point_id)
            .where(
                CollectionMember.collection_id == collection.id,
                CollectionMember.removed_at.is_(None),
            )
            .order_by(Item.barcode)
        )
    ]
    stays = [
        StayLine(
            point=point_code,
            point_name=point_name,
            sent_at=stay.sent_at,
            arrived_at=stay.arrived_at,
            due_back_on=stay.due_back_on,
            left_at=stay.left_at,
            items_sent=stay.items_sent,
            items_following=stay.items_following,
        )
        for stay, point_code, point_name in session.execute(
            select(CollectionStay, ServicePoint.code, ServicePoint.name)
            .join(ServicePoint, ServicePoint.id == CollectionStay.point_id)
            .where(CollectionStay.collection_id == collection.id)
            .order_by(CollectionStay.id)
        )
    ]
    counts = Counter(str(item.status.value) for item in items)
    return CollectionDetail(line, collection.note, dict(sorted(counts.items())), items, stays)


# --- plans -----------------------------------------------------------------------------


@dataclass(frozen=True)
class StopLine:
    position: int
    point: str
    point_name: str


@dataclass(frozen=True)
class PlanDetail:
    code: str
    name: str
    stay_days: int
    note: str | None
    stops: list[StopLine]
    collections: list[CollectionLine]


def _plan(session: Session, code: str) -> RotationPlan:
    wanted = code.strip()
    plan = session.scalars(select(RotationPlan).where(RotationPlan.code == wanted)).one_or_none()
    if plan is None:
        raise PlanNotFound(wanted or code)
    return plan


def plan_detail(session: Session, code: str) -> PlanDetail:
    """A plan's cycle of stations and the collections that follow it."""
    plan = _plan(session, code)
    stops = [
        StopLine(position, point_code, point_name)
        for position, point_code, point_name in session.execute(
            select(RotationStop.position, ServicePoint.code, ServicePoint.name)
            .join(ServicePoint, ServicePoint.id == RotationStop.point_id)
            .where(RotationStop.plan_id == plan.id)
            .order_by(RotationStop.position)
        )
    ]
    collections = [
        _line(row)
        for row in session.execute(_lines_statement().where(RotatingCollection.plan_id == plan.id))
    ]
    return PlanDetail(plan.code, plan.name, plan.stay_days, plan.note, stops, collections)


@dataclass(frozen=True)
class PlanLine:
    code: str
    name: str
    stay_days: int
    stations: int
    collections: int


def list_plans(session: Session) -> list[PlanLine]:
    stops = (
        select(func.count(RotationStop.id))
        .where(RotationStop.plan_id == RotationPlan.id)
        .correlate(RotationPlan)
        .scalar_subquery()
    )
    collections = (
        select(func.count(RotatingCollection.id))
        .where(RotatingCollection.plan_id == RotationPlan.id)
        .correlate(RotationPlan)
        .scalar_subquery()
    )
    return [
        PlanLine(plan.code, plan.name, plan.stay_days, int(n_stops), int(n_collections))
        for plan, n_stops, n_collections in session.execute(
            select(RotationPlan, stops, collections).order_by(RotationPlan.code)
        )
    ]


@dataclass(frozen=True)
class DueLine:
    """A collection whose stay is over: where it is, since when it is due, where it goes next."""

    code: str
    name: str
    station: str
    station_name: str
    due_back_on: date
    plan: str | None
    next_station: str | None


def due_collections(session: Session, *, today: date, plan: str | None = None) -> list[DueLine]:
    """Collections at a station whose stay is over by ``today``, longest overdue first."""
    stmt = (
        select(RotatingCollection, CollectionStay.due_back_on, ServicePoint.code, ServicePoint.name)
        .join(CollectionStay, CollectionStay.collection_id == RotatingCollection.id)
        .join(ServicePoint, ServicePoint.id == RotatingCollection.station_point_id)
        .where(
            RotatingCollection.status == CollectionStatus.AT_STATION,
            CollectionStay.left_at.is_(None),
            CollectionStay.due_back_on <= today,
        )
        .order_by(CollectionStay.due_back_on, RotatingCollection.code)
    )
    if plan is not None:
        stmt = stmt.where(RotatingCollection.plan_id == _plan(session, plan).id)
    rows = session.execute(stmt).all()
    plan_ids = {c.plan_id for c, *_ in rows if c.plan_id is not None}
    stops: dict[int, list[int]] = {}
    for plan_id, point_id in session.execute(
        select(RotationStop.plan_id, RotationStop.point_id)
        .where(RotationStop.plan_id.in_(plan_ids))
        .order_by(RotationStop.plan_id, RotationStop.position)
    ):
        stops.setdefault(plan_id, []).append(point_id)
    plan_codes = dict(
        session.execute(
            select(RotationPlan.id, RotationPlan.code).where(RotationPlan.id.in_(plan_ids))
        ).all()
    )
    next_ids = {
        c.id: next_stop(stops.get(c.plan_id, []), c.station_point_id)
        for c, *_ in rows
        if c.plan_id is not None
    }
    codes = dict(
        session.execute(
            select(ServicePoint.id, ServicePoint.code).where(
                ServicePoint.id.in_([i for i in next_ids.values() if i is not None])
            )
        ).all()
    )
    out = []
    for collection, due, station, station_name in rows:
        if due is None or not stay_is_over(due, today):
            continue
        following = next_ids.get(collection.id)
        out.append(
            DueLine(
                code=collection.code,
                name=collection.name,
                station=station,
                station_name=station_name,
                due_back_on=due,
                plan=plan_codes.get(collection.plan_id) if collection.plan_id else None,
                next_station=codes.get(following) if following is not None else None,
            )
        )
    return out
