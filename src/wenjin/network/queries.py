"""The read side of the network: points by code, the tree, calendars, travel times.

Trees are walked with recursive CTEs (one query on SQLite and PostgreSQL alike), so
scoping a search to a point and everything under it, or resolving a calendar, costs
one round trip whatever the depth.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, bindparam, func, literal, select
from sqlalchemy.orm import Session, aliased

from wenjin.network.errors import PointNotFound
from wenjin.network.models import ClosedDay, CourierRoute, ServicePoint
from wenjin.network.rules import (
    CalendarLevel,
    ClosedSpan,
    Leg,
    OpeningCalendar,
    Route,
    RouteMap,
    collapse_closed_days,
    inherited_calendar,
    tree_order,
)
from wenjin.network.states import PointKind

# A guard against a cycle written straight into the database (the services refuse
# them): no real network is this deep.
MAX_DEPTH = 64

# Siblings are listed by sort order, then by kind (the central library before the
# branches, buildings before the kiosk), then by code.
_KIND_RANK = {kind: rank for rank, kind in enumerate(PointKind)}


def find_point_by_code(session: Session, code: str) -> ServicePoint | None:
    """The point with ``code``; an exact match first, then one ignoring case."""
    code = code.strip()
    point = session.scalars(select(ServicePoint).where(ServicePoint.code == code)).one_or_none()
    if point is not None:
        return point
    matches = session.scalars(
        select(ServicePoint).where(func.upper(ServicePoint.code) == code.upper()).limit(2)
    ).all()
    return matches[0] if len(matches) == 1 else None


def get_point_by_code(session: Session, code: str) -> ServicePoint:
    """The point with ``code``, or :class:`PointNotFound`."""
    point = find_point_by_code(session, code)
    if point is None:
        raise PointNotFound(code)
    return point


def list_points(session: Session, *, active_only: bool = False) -> list[ServicePoint]:
    """Every point, in the order of a depth-first tree walk (siblings by sort order, kind, code)."""
    query = select(ServicePoint)
    if active_only:
        query = query.where(ServicePoint.active.is_(True))
    points = {p.id: p for p in session.scalars(query)}
    order = tree_order(
        {pid: p.parent_id for pid, p in points.items()},
        {pid: (p.sort_order, _KIND_RANK[p.kind], p.code) for pid, p in points.items()},
    )
    return [points[pid] for pid, _ in order]


# The tree walks are built once with bound parameters: SQLAlchemy then reuses their
# compiled form, and resolving a calendar stays well inside a checkout's budget.
_sp = ServicePoint.__table__


def _subtree_statement() -> Select[tuple[int]]:
    tree = (
        select(_sp.c.id, literal(0).label("depth"))
        .where(_sp.c.id == bindparam("point_id"))
        .cte("subtree", recursive=True)
    )
    tree = tree.union_all(
        select(_sp.c.id, tree.c.depth + 1).where(
            _sp.c.parent_id == tree.c.id, tree.c.depth < MAX_DEPTH
        )
    )
    return select(tree.c.id)


def _chain_cte() -> Any:
    """The point ``start_id`` (depth 0) and every ancestor above it (depth 1, 2, …)."""
    chain = (
        select(_sp.c.id, _sp.c.parent_id, literal(0).label("depth"))
        .where(_sp.c.id == bindparam("start_id"))
        .cte("chain", recursive=True)
    )
    return chain.union_all(
        select(_sp.c.id, _sp.c.parent_id, chain.c.depth + 1).where(
            _sp.c.id == chain.c.parent_id, chain.c.depth < MAX_DEPTH
        )
    )


_SUBTREE = _subtree_statement()
_CHAIN = _chain_cte()
_ANCESTORS = (
    select(ServicePoint)
    .join(_CHAIN, _CHAIN.c.id == ServicePoint.id)
    .where(_CHAIN.c.depth > 0)
    .order_by(_CHAIN.c.depth)
)
_CALENDAR_CHAIN = (
    select(_CHAIN.c.id, _sp.c.opening_hours, _sp.c.inherit_closed_days)
    .join(_sp, _sp.c.id == _CHAIN.c.id)
    .order_by(_CHAIN.c.depth)
)
_CLOSED_DAYS = select(ClosedDay.point_id, ClosedDay.day, ClosedDay.reason).where(
    ClosedDay.point_id.in_(bindparam("point_ids", expanding=True))
)


def descendant_ids(session: Session, point_id: int) -> set[int]:
    """The ids of the point and of every point under it (for scoping a search or a report)."""
    return set(session.scalars(_SUBTREE, {"point_id": point_id}))


def ancestors(session: Session, point: ServicePoint) -> list[ServicePoint]:
    """The point's parent, grandparent, … up to the root (parent first, root last)."""
    if point.parent_id is None:
        return []
    return list(session.scalars(_ANCESTORS, {"start_id": point.id}))


def calendar_for(session: Session, point: ServicePoint) -> OpeningCalendar:
    """The point's opening calendar with inheritance resolved (see
    :func:`wenjin.network.rules.inherited_calendar`). Two queries whatever the depth;
    build it once per point and ask it as often as needed."""
    chain = session.execute(_CALENDAR_CHAIN, {"start_id": point.id}).all()
    closed: dict[int, dict[date, str | None]] = {point_id: {} for point_id, _, _ in chain}
    for point_id, day, reason in session.execute(_CLOSED_DAYS, {"point_ids": list(closed)}):
        closed[point_id][day] = reason
    return inherited_calendar(
        [CalendarLevel(hours, inherits, closed[point_id]) for point_id, hours, inherits in chain]
    )


def calendars_for(
    session: Session, points: Sequence[ServicePoint], *, since: date | None = None
) -> dict[int, OpeningCalendar]:
    """The calendar of each of ``points``, keyed by point id, in one query for all closed days.

    The same inheritance as :func:`calendar_for`, for pages that show many points
    at once: ``points`` must hold every ancestor of every point in it
    (``list_points`` gives them all). Closed days before ``since`` are left out.
    """
    by_id = {point.id: point for point in points}
    closed: dict[int, dict[date, str | None]] = {point.id: {} for point in points}
    query = select(ClosedDay.point_id, ClosedDay.day, ClosedDay.reason)
    if since is not None:
        query = query.where(ClosedDay.day >= since)
    for point_id, day, reason in session.execute(query):
        if point_id in closed:
            closed[point_id][day] = reason
    levels = {
        point.id: CalendarLevel(point.opening_hours, point.inherit_closed_days, closed[point.id])
        for point in points
    }
    calendars: dict[int, OpeningCalendar] = {}
    for point in points:
        chain = [levels[point.id]]
        parent_id = point.parent_id
        while parent_id is not None and parent_id in by_id:
            chain.append(levels[parent_id])
            parent_id = by_id[parent_id].parent_id
        calendars[point.id] = inherited_calendar(chain)
    return calendars


_SOURCE = aliased(ServicePoint)
_TARGET = aliased(ServicePoint)
_ACTIVE_LEGS = (
    select(
        CourierRoute.from_point_id,
        CourierRoute.to_point_id,
        CourierRoute.travel_days,
        CourierRoute.weekdays,
    )
    .join(_SOURCE, _SOURCE.id == CourierRoute.from_point_id)
    .join(_TARGET, _TARGET.id == CourierRoute.to_point_id)
    .where(_SOURCE.active.is_(True), _TARGET.active.is_(True))
)


def route_map(session: Session) -> RouteMap[int]:
    """The courier network between active points, keyed by point id. Build once, ask often."""
    return RouteMap(
        Leg(a, b, days, frozenset(weekdays) if weekdays else None)
        for a, b, days, weekdays in session.execute(_ACTIVE_LEGS)
    )


def shortest_route(
    session: Session, from_point: ServicePoint, to_point: ServicePoint
) -> Route[ServicePoint] | None:
    """The quickest courier route between two points, the points on the way included."""
    route = route_map(session).shortest(from_point.id, to_point.id)
    if route is None:
        return None
    path = tuple(_point_by_id(session, pid) for pid in route.path)
    return Route(route.days, path)


def travel_days(session: Session, from_point: ServicePoint, to_point: ServicePoint) -> int | None:
    """Courier travel days along the shortest route; ``None`` if no route joins them."""
    if from_point.id == to_point.id:
        return 0
    return route_map(session).travel_days(from_point.id, to_point.id)


def _point_by_id(session: Session, point_id: int) -> ServicePoint:
    point = session.get(ServicePoint, point_id)
    if point is None:  # a route row always names existing points (foreign keys)
        raise PointNotFound(f"#{point_id}")
    return point


def point_summary(point: ServicePoint, parent_code: str | None) -> dict[str, Any]:
    return {
        "code": point.code,
        "name": point.name,
        "name_en": point.name_en,
        "kind": point.kind.value,
        "kind_label": point.kind.label_zh,
        "kind_label_en": point.kind.label_en,
        "parent": parent_code,
        "lends": point.lends,
        "pickup": point.is_pickup_point,
        "address": point.address,
        "phone": point.phone,
        "active": point.active,
    }


def network_tree(
    session: Session, *, at: ServicePoint | None = None, active_only: bool = True
) -> list[dict[str, Any]]:
    """The tree as nested dicts (``children`` lists), roots first; ``at`` gives one subtree.

    Each node has ``code``, ``name``, ``name_en``, ``kind``, ``kind_label`` (Chinese),
    ``kind_label_en``, ``parent`` (code), ``lends``, ``pickup``, ``address``,
    ``phone``, ``active``, ``depth`` and ``children``.
    """
    points = list_points(session, active_only=active_only)
    by_id = {p.id: p for p in points}
    nodes: dict[int, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for point in points:  # tree order: a parent always comes before its children
        parent = by_id.get(point.parent_id) if point.parent_id is not None else None
        node = point_summary(point, parent.code if parent else None)
        node["children"] = []
        if parent is not None:
            node["depth"] = nodes[parent.id]["depth"] + 1
            nodes[parent.id]["children"].append(node)
        else:
            node["depth"] = 0
            roots.append(node)
        nodes[point.id] = node
    if at is None:
        return roots
    if at.id not in nodes:
        raise PointNotFound(at.code)
    return [_rebase(nodes[at.id], 0)]


def _rebase(node: dict[str, Any], depth: int) -> dict[str, Any]:
    node["depth"] = depth
    for child in node["children"]:
        _rebase(child, depth + 1)
    return node


def flatten_tree(tree: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The nodes of :func:`network_tree` in tree order, ``children`` replaced by a count."""
    rows: list[dict[str, Any]] = []
    stack = list(reversed(tree))
    while stack:
        node = stack.pop()
        rows.append(
            {
                **{k: v for k, v in node.items() if k != "children"},
                "children": len(node["children"]),
            }
        )
        stack.extend(reversed(node["children"]))
    return rows


def points_by_kind(session: Session, *, active_only: bool = True) -> dict[str, int]:
    """How many points of each kind (kind code → count), for summaries and the home page."""
    query = select(ServicePoint.kind, func.count()).group_by(ServicePoint.kind)
    if active_only:
        query = query.where(ServicePoint.active.is_(True))
    return {kind.value: count for kind, count in sorted(session.execute(query).all())}


def own_closed_days(
    session: Session, point: ServicePoint, *, since: date | None = None
) -> list[ClosedSpan]:
    """The days the point itself is closed (not its ancestors'), as spans of one reason."""
    query = select(ClosedDay.day, ClosedDay.reason).where(ClosedDay.point_id == point.id)
    if since is not None:
        query = query.where(ClosedDay.day >= since)
    return collapse_closed_days(dict(session.execute(query).all()))


@dataclass(frozen=True)
class RouteLine:
    """One courier leg as a page lists it: the points by code and name, days, weekdays."""

    from_point: str
    from_name: str
    to_point: str
    to_name: str
    days: int
    weekdays: list[int] | None
    note: str | None
    both_ways: bool  # the way back exists with the same days and weekdays


def list_route_legs(session: Session, *, point: ServicePoint | None = None) -> list[RouteLine]:
    """Every courier leg (or those starting or ending at ``point``), by origin then destination."""
    source, target = aliased(ServicePoint), aliased(ServicePoint)
    query = (
        select(
            CourierRoute.from_point_id,
            CourierRoute.to_point_id,
            source.code,
            source.name,
            target.code,
            target.name,
            CourierRoute.travel_days,
            CourierRoute.weekdays,
            CourierRoute.note,
        )
        .join(source, source.id == CourierRoute.from_point_id)
        .join(target, target.id == CourierRoute.to_point_id)
        .order_by(source.code, target.code)
    )
    if point is not None:
        query = query.where(
            (CourierRoute.from_point_id == point.id) | (CourierRoute.to_point_id == point.id)
        )
    rows = session.execute(query).all()
    legs = {(r[0], r[1]): (r[6], r[7] or None) for r in rows}
    return [
        RouteLine(
            from_point=r[2],
            from_name=r[3],
            to_point=r[4],
            to_name=r[5],
            days=r[6],
            weekdays=list(r[7]) if r[7] else None,
            note=r[8],
            both_ways=legs.get((r[1], r[0])) == (r[6], r[7] or None),
        )
        for r in rows
    ]
