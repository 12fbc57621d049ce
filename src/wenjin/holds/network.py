"""The network as targeting reads it: points, who is open today, courier times to a pickup point.

Targeting asks, for many copies, "is its point open today?" and "how many courier
days from there to the pickup point?". Both come from a :class:`NetworkView`, built
once per engine and kept until a point, a route or a closed day changes (one cheap
signature query per use, as the policy cache does), so that placing one hold does
not reload 300 points and their routes.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from wenjin.network.models import ClosedDay, CourierRoute, ServicePoint
from wenjin.network.rules import CalendarLevel, Leg, RouteMap, inherited_calendar
from wenjin.network.states import PointKind


@dataclass(frozen=True)
class NetworkPoint:
    id: int
    code: str
    name: str
    kind: PointKind
    parent_id: int | None
    lends: bool
    active: bool
    is_pickup_point: bool
    opening_hours: Any
    inherit_closed_days: bool


@dataclass
class NetworkView:
    """Points by id, and the courier network reversed (legs point towards their source),
    so that one search from a pickup point gives every point's travel days *to* it."""

    signature: tuple[Any, ...]
    points: dict[int, NetworkPoint]
    towards: RouteMap[int]
    _to_pickup: dict[int, dict[int, int]] = field(default_factory=dict)
    _open: dict[date, frozenset[int]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def days_to(self, pickup_point_id: int) -> dict[int, int]:
        """Courier travel days from every point that can reach ``pickup_point_id``."""
        found = self._to_pickup.get(pickup_point_id)
        if found is None:
            found = self.towards.distances_from(pickup_point_id)
            with self._lock:
                self._to_pickup[pickup_point_id] = found
        return found

    def open_on(self, session: Session, day: date) -> frozenset[int]:
        """The ids of the points open on ``day`` (weekly hours and closed days inherited)."""
        found = self._open.get(day)
        if found is not None:
            return found
        closed: dict[int, dict[date, str | None]] = {pid: {} for pid in self.points}
        for point_id, reason in session.connection().execute(
            select(ClosedDay.point_id, ClosedDay.reason).where(ClosedDay.day == day)
        ):
            if point_id in closed:
                closed[point_id][day] = reason
        levels = {
            p.id: CalendarLevel(p.opening_hours, p.inherit_closed_days, closed[p.id])
            for p in self.points.values()
        }
        open_ids = set()
        for point in self.points.values():
            chain = [levels[point.id]]
            parent = point.parent_id
            while parent is not None and parent in levels and len(chain) < 64:
                chain.append(levels[parent])
                parent = self.points[parent].parent_id
            if inherited_calendar(chain).is_open(day):
                open_ids.add(point.id)
        result = frozenset(open_ids)
        with self._lock:
            self._open[day] = result
        return result


_cache: weakref.WeakKeyDictionary[Engine, NetworkView] = weakref.WeakKeyDictionary()
_cache_lock = threading.Lock()

_SIGNATURE = select(
    select(func.count(ServicePoint.id)).scalar_subquery(),
    select(func.max(ServicePoint.updated_at)).scalar_subquery(),
    select(func.count(CourierRoute.id)).scalar_subquery(),
    select(
        func.coalesce(func.sum(CourierRoute.travel_days + CourierRoute.id), 0)
    ).scalar_subquery(),
    select(func.count(ClosedDay.id)).scalar_subquery(),
    select(func.coalesce(func.max(ClosedDay.id), 0)).scalar_subquery(),
)


def network_view(session: Session) -> NetworkView:
    """The current network, from the cache when nothing in it has changed."""
    signature = tuple(session.connection().execute(_SIGNATURE).one())
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    cached = _cache.get(engine.engine)
    if cached is not None and cached.signature == signature:
        return cached
    points = {
        row.id: NetworkPoint(
            id=row.id,
            code=row.code,
            name=row.name,
            kind=PointKind(row.kind),
            parent_id=row.parent_id,
            lends=row.lends,
            active=row.active,
            is_pickup_point=row.is_pickup_point,
            opening_hours=row.opening_hours,
            inherit_closed_days=row.inherit_closed_days,
        )
        for row in session.connection().execute(
            select(
                ServicePoint.id,
                ServicePoint.code,
                ServicePoint.name,
                ServicePoint.kind,
                ServicePoint.parent_id,
                ServicePoint.lends,
                ServicePoint.active,
                ServicePoint.is_pickup_point,
                ServicePoint.opening_hours,
                ServicePoint.inherit_closed_days,
            )
        )
    }
    legs = [
        Leg(target, source, days)
        for source, target, days in session.execute(
            select(CourierRoute.from_point_id, CourierRoute.to_point_id, CourierRoute.travel_days)
        )
        if points[source].active and points[target].active
    ]
    view = NetworkView(signature=signature, points=points, towards=RouteMap(legs))
    with _cache_lock:
        _cache[engine.engine] = view
    return view
