"""Use cases of the network: points, calendars, courier routes, and the network file.

Every function takes the caller's session and never commits; a failed check raises
before anything is written, so the caller's unit of work can simply roll back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any, Final

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from wenjin.network.errors import (
    DuplicatePointCode,
    InvalidPoint,
    InvalidRoute,
    NetworkFileInvalid,
    ParentCycle,
    PointHasActiveChildren,
    Problem,
    RouteNotFound,
)
from wenjin.network.io import NetworkData, PointData, RouteData
from wenjin.network.models import ClosedDay, CourierRoute, ServicePoint
from wenjin.network.queries import ancestors, descendant_ids, list_points
from wenjin.network.rules import (
    ClosedSpan,
    WeeklyHours,
    code_problem,
    collapse_closed_days,
    default_lends,
    find_cycle,
    kind_choices,
    kind_problems,
    parse_kind,
    parse_weekdays,
)
from wenjin.network.states import PointKind

__all__ = [
    "ImportResult",
    "NetworkData",
    "PointData",
    "RouteData",
    "add_closed_days",
    "add_holidays",
    "add_route",
    "create_point",
    "deactivate_point",
    "export_network",
    "import_network",
    "move_point",
    "reactivate_point",
    "remove_closed_days",
    "remove_route",
    "set_opening_hours",
    "update_point",
]


class _Unset(Enum):
    UNSET = 0


UNSET: Final = _Unset.UNSET


# ---------------------------------------------------------------------------
# Points


def _kind(code: str, value: PointKind | str) -> PointKind:
    try:
        return parse_kind(value)
    except ValueError:
        raise InvalidPoint(
            code,
            f"类型 {value!r} 无效，可用：{kind_choices()}",
            f"kind {value!r} is not one of: {kind_choices()}",
        ) from None


def _check_kind(
    point_code: str, kind: PointKind, *, has_parent: bool, lends: bool, pickup: bool
) -> None:
    problems = kind_problems(kind, has_parent=has_parent, lends=lends, pickup=pickup)
    if problems:
        raise InvalidPoint(point_code, problems[0][0], problems[0][1])


def _check_code_free(session: Session, code: str) -> None:
    problem = code_problem(code)
    if problem is not None:
        raise InvalidPoint(str(code), *problem)
    taken = session.scalars(
        select(ServicePoint.code).where(func.upper(ServicePoint.code) == code.upper()).limit(1)
    ).first()
    if taken is not None:
        raise DuplicatePointCode(code if taken == code else f"{code}（{taken}）")


def _check_parent(point_code: str, parent: ServicePoint | None, *, active: bool) -> None:
    if parent is not None and active and not parent.active:
        raise InvalidPoint(
            point_code,
            f"上级 {parent.code} 已停用，请先恢复它或换一个上级",
            f"the parent {parent.code} is deactivated; reactivate it or choose another parent",
        )


def _stored_hours(
    hours: WeeklyHours | Mapping[Any, Any] | str | None,
) -> dict[str, list[str]] | None:
    return None if hours is None else WeeklyHours.parse(hours).to_stored()


def create_point(
    session: Session,
    *,
    code: str,
    name: str,
    kind: PointKind | str,
    parent: ServicePoint | None = None,
    name_en: str | None = None,
    address: str | None = None,
    phone: str | None = None,
    lends: bool | None = None,
    pickup: bool = False,
    hours: WeeklyHours | Mapping[Any, Any] | str | None = None,
    inherit_closed_days: bool = True,
    sort_order: int = 0,
) -> ServicePoint:
    """Add a service point under ``parent`` (``None``: a root). ``lends`` defaults by kind;
    ``hours`` ``None`` keeps the parent's."""
    code = code.strip()
    _check_code_free(session, code)
    if not name or not name.strip():
        raise InvalidPoint(code, "缺少名称 name", "the name is missing")
    point_kind = _kind(code, kind)
    lends = default_lends(point_kind) if lends is None else lends
    _check_kind(code, point_kind, has_parent=parent is not None, lends=lends, pickup=pickup)
    _check_parent(code, parent, active=True)
    point = ServicePoint(
        code=code,
        name=name.strip(),
        name_en=name_en,
        kind=point_kind,
        parent=parent,
        address=address,
        phone=phone,
        lends=lends,
        is_pickup_point=pickup,
        opening_hours=_stored_hours(hours),
        inherit_closed_days=inherit_closed_days,
        active=True,
        sort_order=sort_order,
    )
    session.add(point)
    session.flush()
    return point


def update_point(
    session: Session,
    *,
    point: ServicePoint,
    name: str | _Unset = UNSET,
    name_en: str | _Unset | None = UNSET,
    kind: PointKind | str | _Unset = UNSET,
    address: str | _Unset | None = UNSET,
    phone: str | _Unset | None = UNSET,
    lends: bool | _Unset = UNSET,
    pickup: bool | _Unset = UNSET,
    inherit_closed_days: bool | _Unset = UNSET,
    sort_order: int | _Unset = UNSET,
) -> ServicePoint:
    """Change the given fields of a point (the others stay); the kind rules are checked again."""
    new_kind = point.kind if isinstance(kind, _Unset) else _kind(point.code, kind)
    new_lends = point.lends if isinstance(lends, _Unset) else lends
    new_pickup = point.is_pickup_point if isinstance(pickup, _Unset) else pickup
    _check_kind(
        point.code,
        new_kind,
        has_parent=point.parent_id is not None,
        lends=new_lends,
        pickup=new_pickup,
    )
    if not isinstance(name, _Unset):
        if not name.strip():
            raise InvalidPoint(point.code, "名称不能为空", "the name cannot be empty")
        point.name = name.strip()
    point.kind = new_kind
    point.lends = new_lends
    point.is_pickup_point = new_pickup
    for attribute, value in (
        ("name_en", name_en),
        ("address", address),
        ("phone", phone),
        ("inherit_closed_days", inherit_closed_days),
        ("sort_order", sort_order),
    ):
        if not isinstance(value, _Unset):
            setattr(point, attribute, value)
    session.flush()
    return point


def move_point(
    session: Session, *, point: ServicePoint, parent: ServicePoint | None
) -> ServicePoint:
    """Put a point (with everything under it) under another parent, or make it a root."""
    if parent is not None and parent.id in descendant_ids(session, point.id):
        chain = [p.code for p in reversed(ancestors(session, parent))]
        start = chain.index(point.code) if point.code in chain else 0
        raise ParentCycle([*chain[start:], parent.code, point.code])
    _check_kind(
        point.code,
        point.kind,
        has_parent=parent is not None,
        lends=point.lends,
        pickup=point.is_pickup_point,
    )
    _check_parent(point.code, parent, active=point.active)
    point.parent = parent
    session.flush()
    return point


def deactivate_point(session: Session, *, point: ServicePoint) -> ServicePoint:
    """Stop using a point (closed down, merged): it stays in the records but leaves the tree
    and the courier network. Points under it must be deactivated or moved first."""
    active_children = session.scalars(
        select(ServicePoint.code)
        .where(ServicePoint.parent_id == point.id, ServicePoint.active.is_(True))
        .order_by(ServicePoint.code)
    ).all()
    if active_children:
        raise PointHasActiveChildren(point.code, list(active_children))
    point.active = False
    session.flush()
    return point


def reactivate_point(session: Session, *, point: ServicePoint) -> ServicePoint:
    """Use a deactivated point again (its parent must be in use)."""
    _check_parent(point.code, point.parent, active=True)
    point.active = True
    session.flush()
    return point


def set_opening_hours(
    session: Session, *, point: ServicePoint, hours: WeeklyHours | Mapping[Any, Any] | str | None
) -> ServicePoint:
    """Set the weekly hours (``{"mon": "closed", "tue-sun": "09:00-17:00"}``); ``None``
    makes the point keep its parent's hours again."""
    point.opening_hours = _stored_hours(hours)
    session.flush()
    return point


# ---------------------------------------------------------------------------
# Closed days


def add_holidays(session: Session, *, point: ServicePoint, holidays: Iterable[ClosedSpan]) -> int:
    """Close the point on every day of ``holidays`` (e.g. ``rules.public_holidays(2026)``).

    A day already closed keeps its row and takes the new reason. Returns how many
    days were newly closed.
    """
    wanted: dict[date, str | None] = {}
    for span in holidays:
        for day in span.days():
            wanted[day] = span.reason
    if not wanted:
        return 0
    existing = {
        row.day: row
        for row in session.scalars(
            select(ClosedDay).where(
                ClosedDay.point_id == point.id,
                ClosedDay.day >= min(wanted),
                ClosedDay.day <= max(wanted),
            )
        )
    }
    added = 0
    for day, reason in sorted(wanted.items()):
        row = existing.get(day)
        if row is None:
            session.add(ClosedDay(point_id=point.id, day=day, reason=reason))
            added += 1
        elif reason is not None and row.reason != reason:
            row.reason = reason
    session.flush()
    return added


def add_closed_days(
    session: Session,
    *,
    point: ServicePoint,
    start: date,
    end: date | None = None,
    reason: str | None = None,
) -> int:
    """Close the point from ``start`` to ``end`` (inclusive; one day if ``end`` is None)."""
    return add_holidays(session, point=point, holidays=[ClosedSpan(start, end, reason)])


def remove_closed_days(
    session: Session, *, point: ServicePoint, start: date, end: date | None = None
) -> int:
    """Open the point again on the closed days from ``start`` to ``end``; returns how many."""
    span = ClosedSpan(start, end)
    closed = session.scalars(
        select(ClosedDay).where(
            ClosedDay.point_id == point.id, ClosedDay.day >= span.start, ClosedDay.day <= span.last
        )
    ).all()
    for day in closed:  # one by one: the audit trail sees each day opened again
        session.delete(day)
    session.flush()
    session.expire(point, ["closed_days"])
    return len(closed)


# ---------------------------------------------------------------------------
# Courier routes


def _check_route(from_point: ServicePoint, to_point: ServicePoint, days: int) -> None:
    if from_point.id == to_point.id:
        raise InvalidRoute(
            from_point.code, to_point.code, "起点和终点相同", "it starts and ends at the same point"
        )
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise InvalidRoute(
            from_point.code,
            to_point.code,
            f"路上天数必须是 0 或正整数，而不是 {days!r}",
            f"days must be a whole number, 0 or more, not {days!r}",
        )


def _upsert_leg(
    session: Session,
    source_id: int,
    target_id: int,
    days: int,
    weekdays: list[int] | None,
    note: str | None,
) -> tuple[CourierRoute, str]:
    route = session.scalars(
        select(CourierRoute).where(
            CourierRoute.from_point_id == source_id, CourierRoute.to_point_id == target_id
        )
    ).one_or_none()
    if route is None:
        route = CourierRoute(
            from_point_id=source_id,
            to_point_id=target_id,
            travel_days=days,
            weekdays=weekdays,
            note=note,
        )
        session.add(route)
        return route, "added"
    if (route.travel_days, route.weekdays or None, route.note) == (days, weekdays, note):
        return route, "unchanged"
    route.travel_days, route.weekdays, route.note = days, weekdays, note
    return route, "updated"


def add_route(
    session: Session,
    *,
    from_point: ServicePoint,
    to_point: ServicePoint,
    days: int,
    both_ways: bool = True,
    weekdays: Sequence[int | str] | str | None = None,
    note: str | None = None,
) -> list[CourierRoute]:
    """Add (or change) the courier leg ``from_point`` → ``to_point``, and the way back
    unless ``both_ways`` is False. ``weekdays``: the days the courier leaves."""
    _check_route(from_point, to_point, days)
    leaving = list(parse_weekdays(weekdays)) if weekdays else None
    legs = [(from_point.id, to_point.id)]
    if both_ways:
        legs.append((to_point.id, from_point.id))
    routes = [_upsert_leg(session, a, b, days, leaving, note)[0] for a, b in legs]
    session.flush()
    return routes


def remove_route(
    session: Session, *, from_point: ServicePoint, to_point: ServicePoint, both_ways: bool = True
) -> int:
    """Remove the leg (and the way back unless ``both_ways`` is False); returns how many legs."""
    pairs = [(from_point.id, to_point.id)]
    if both_ways:
        pairs.append((to_point.id, from_point.id))
    legs = session.scalars(
        select(CourierRoute).where(
            or_(
                *(
                    (CourierRoute.from_point_id == a) & (CourierRoute.to_point_id == b)
                    for a, b in pairs
                )
            )
        )
    ).all()
    for leg in legs:  # one by one: the audit trail sees each leg removed
        session.delete(leg)
    session.flush()
    removed = len(legs)
    if removed == 0:
        raise RouteNotFound(from_point.code, to_point.code)
    return removed


# ---------------------------------------------------------------------------
# The network file


@dataclass
class ImportResult:
    """What an import changed. Importing the same data again gives all zeros but ``unchanged``."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    closed_days_added: int = 0
    closed_days_removed: int = 0
    routes_added: int = 0
    routes_updated: int = 0
    routes_removed: int = 0

    @property
    def routes(self) -> int:
        return self.routes_added + self.routes_updated + self.routes_removed


def _where(line: int | None, what_zh: str, what_en: str, code: str) -> tuple[str, str]:
    if line:
        return f"第 {line} 行（{what_zh} {code}）", f"line {line} ({what_en} {code})"
    return f"{what_zh} {code}", f"{what_en} {code}"


def _validate(
    data: NetworkData, existing: Mapping[str, ServicePoint], *, replace: bool
) -> list[Problem]:
    """Everything wrong with ``data`` as a whole, against the points already stored."""
    problems: list[Problem] = []

    def problem(where: tuple[str, str], zh: str, en: str) -> None:
        problems.append(Problem(where[0], where[1], zh, en))

    in_file: dict[str, PointData] = {}
    folded: dict[str, str] = {}
    stored_folded = {code.upper(): code for code in existing}
    for point in data.points:
        where = _where(point.line, "服务点", "point", point.code)
        bad_code = code_problem(point.code)
        if bad_code is not None:
            problem(where, *bad_code)
            continue
        if point.code in in_file:
            first = in_file[point.code].line
            problem(
                where,
                f"代码重复（第 {first} 行已有 {point.code}）" if first else "代码重复",
                f"duplicate code (already on line {first})" if first else "duplicate code",
            )
            continue
        other = folded.get(point.code.upper()) or stored_folded.get(point.code.upper())
        if other is not None and other != point.code:
            problem(
                where,
                f"代码与已有的 {other} 只差大小写，请统一写法",
                f"the code differs from {other} only in letter case; use one spelling",
            )
        in_file[point.code] = point
        folded[point.code.upper()] = point.code
        for zh, en in kind_problems(
            point.kind,
            has_parent=point.parent is not None,
            lends=bool(point.lends),
            pickup=point.pickup,
        ):
            problem(where, zh, en)

    def known(code: str) -> bool:
        return code in in_file or (not replace and code in existing)

    def is_active(code: str) -> bool:
        return in_file[code].active if code in in_file else existing[code].active

    parents: dict[str, str | None] = {}
    if not replace:
        by_id = {p.id: p for p in existing.values()}
        for code, stored in existing.items():
            parent = by_id.get(stored.parent_id) if stored.parent_id is not None else None
            parents[code] = parent.code if parent is not None else None
    for point in in_file.values():
        parents[point.code] = point.parent
        if point.parent is not None and not known(point.parent):
            hint_zh = (
                "（--replace 时上级必须在同一文件中）"
                if replace and point.parent in existing
                else ""
            )
            hint_en = " (with --replace the parent must be in the file)" if hint_zh else ""
            problem(
                _where(point.line, "服务点", "point", point.code),
                f"上级 {point.parent} 不存在{hint_zh}，请先添加它或改正代码",
                f"the parent {point.parent} does not exist{hint_en}; add it or correct the code",
            )
    for code, parent_code in parents.items():
        if parent_code is None or not known(parent_code) or not is_active(code):
            continue
        if not is_active(parent_code):
            line = in_file[code].line if code in in_file else None
            problem(
                _where(line, "服务点", "point", code),
                f"上级 {parent_code} 已停用，在用的服务点不能在停用的服务点之下",
                f"the parent {parent_code} is deactivated; an active point cannot sit under it",
            )
    cycle = find_cycle(parents)
    if cycle is not None:
        problem(
            ("", ""),
            f"上级关系形成了环：{' → '.join(cycle)}",
            f"parents form a cycle: {' → '.join(cycle)}",
        )

    legs: dict[tuple[str, str], RouteData] = {}
    for route in data.routes:
        where = _where(route.line, "线路", "route", f"{route.from_code} → {route.to_code}")
        missing = [c for c in (route.from_code, route.to_code) if not known(c)]
        for code in missing:
            problem(where, f"服务点 {code} 不存在", f"there is no point {code}")
        if route.from_code == route.to_code:
            problem(where, "起点和终点相同", "it starts and ends at the same point")
        if missing or route.from_code == route.to_code:
            continue
        pairs = [(route.from_code, route.to_code)]
        if route.both_ways:
            pairs.append((route.to_code, route.from_code))
        for pair in pairs:
            seen = legs.get(pair)
            if seen is not None and (seen.days, seen.weekdays, seen.note) != (
                route.days,
                route.weekdays,
                route.note,
            ):
                problem(
                    where,
                    f"{pair[0]} → {pair[1]} 与"
                    f"{f'第 {seen.line} 行' if seen.line else '另一条线路'}的天数或班期不一致",
                    f"{pair[0]} → {pair[1]} disagrees with "
                    f"{f'line {seen.line}' if seen.line else 'another route'} on days or weekdays",
                )
            legs[pair] = route
    return problems


def _point_values(point: PointData) -> dict[str, Any]:
    return {
        "name": point.name,
        "name_en": point.name_en,
        "kind": point.kind,
        "address": point.address,
        "phone": point.phone,
        "lends": bool(point.lends),
        "is_pickup_point": point.pickup,
        "opening_hours": point.hours.to_stored() if point.hours is not None else None,
        "inherit_closed_days": point.inherit_closed_days,
        "active": point.active,
        "sort_order": point.sort_order,
    }


def import_network(
    session: Session, data: NetworkData, *, replace: bool = False, source: str = "网络数据"
) -> ImportResult:
    """Bring the stored network in line with ``data``: all of it or, on any problem, none.

    Points are matched by code (created or updated); each point in ``data`` is taken
    as complete: its hours (``None``: inherit) and its own closed days become
    exactly what ``data`` says. Routes are added or updated. With ``replace``, the
    data is the whole network: points not in it are deactivated (never deleted:
    items and loans refer to them) and routes not in it are removed. Parents may
    come after their children. Importing the same data twice changes nothing.
    Raises :class:`NetworkFileInvalid` listing every problem.
    """
    existing = {p.code: p for p in session.scalars(select(ServicePoint))}
    problems = _validate(data, existing, replace=replace)
    if problems:
        raise NetworkFileInvalid(source, problems)

    result = ImportResult()
    points: dict[str, ServicePoint] = dict(existing)
    created: set[str] = set()
    changed: set[str] = set()
    for item in data.points:
        if item.code not in points:
            points[item.code] = ServicePoint(code=item.code, **_point_values(item))
            session.add(points[item.code])
            created.add(item.code)
    session.flush()
    for item in data.points:
        point = points[item.code]
        parent = points[item.parent] if item.parent else None
        if point.parent_id != (parent.id if parent else None):
            point.parent = parent
            changed.add(item.code)
        for attribute, value in _point_values(item).items():
            if getattr(point, attribute) != value:
                setattr(point, attribute, value)
                changed.add(item.code)

    file_ids = [points[item.code].id for item in data.points]
    stored_closed: dict[int, dict[date, ClosedDay]] = {}
    for chunk in _chunks(file_ids, 500):
        for row in session.scalars(select(ClosedDay).where(ClosedDay.point_id.in_(chunk))):
            stored_closed.setdefault(row.point_id, {})[row.day] = row
    for item in data.points:
        point = points[item.code]
        wanted = item.closed_days()
        have = stored_closed.get(point.id, {})
        for day, stale in have.items():
            if day not in wanted:
                session.delete(stale)
                result.closed_days_removed += 1
                changed.add(item.code)
        for day, reason in wanted.items():
            kept = have.get(day)
            if kept is None:
                session.add(ClosedDay(point_id=point.id, day=day, reason=reason))
                result.closed_days_added += 1
                changed.add(item.code)
            elif kept.reason != reason:
                kept.reason = reason
                changed.add(item.code)

    in_file = {item.code for item in data.points}
    if replace:
        for code, point in existing.items():
            if code not in in_file and point.active:
                point.active = False
                result.deactivated += 1

    stored_routes = {
        (r.from_point_id, r.to_point_id): r for r in session.scalars(select(CourierRoute))
    }
    wanted_legs: dict[tuple[int, int], RouteData] = {}
    for route in data.routes:
        a, b = points[route.from_code].id, points[route.to_code].id
        wanted_legs[(a, b)] = route
        if route.both_ways:
            wanted_legs[(b, a)] = route
    for (a, b), route in wanted_legs.items():
        weekdays = list(route.weekdays) if route.weekdays else None
        stored = stored_routes.get((a, b))
        if stored is None:
            session.add(
                CourierRoute(
                    from_point_id=a,
                    to_point_id=b,
                    travel_days=route.days,
                    weekdays=weekdays,
                    note=route.note,
                )
            )
            result.routes_added += 1
        elif (stored.travel_days, stored.weekdays or None, stored.note) != (
            route.days,
            weekdays,
            route.note,
        ):
            stored.travel_days, stored.weekdays, stored.note = route.days, weekdays, route.note
            result.routes_updated += 1
    if replace:
        for pair, stored in stored_routes.items():
            if pair not in wanted_legs:
                session.delete(stored)
                result.routes_removed += 1

    result.created = len(created)
    result.updated = len(changed - created)
    result.unchanged = len(data.points) - result.created - result.updated
    session.flush()
    return result


def _chunks(values: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def export_network(session: Session) -> NetworkData:
    """The whole stored network (deactivated points included) as :class:`NetworkData`."""
    points = list_points(session)
    by_id = {p.id: p for p in points}
    closed: dict[int, dict[date, str | None]] = {}
    for row in session.scalars(select(ClosedDay)):
        closed.setdefault(row.point_id, {})[row.day] = row.reason
    data = NetworkData()
    for point in points:
        parent = by_id.get(point.parent_id) if point.parent_id is not None else None
        data.points.append(
            PointData(
                code=point.code,
                name=point.name,
                kind=point.kind,
                parent=parent.code if parent is not None else None,
                name_en=point.name_en,
                address=point.address,
                phone=point.phone,
                lends=point.lends,
                pickup=point.is_pickup_point,
                hours=WeeklyHours.from_stored(point.opening_hours)
                if point.opening_hours is not None
                else None,
                closed=collapse_closed_days(closed.get(point.id, {})),
                inherit_closed_days=point.inherit_closed_days,
                active=point.active,
                sort_order=point.sort_order,
            )
        )
    position = {p.id: index for index, p in enumerate(points)}
    routes = sorted(
        session.scalars(select(CourierRoute)),
        key=lambda r: (position[r.from_point_id], position[r.to_point_id]),
    )
    legs = {(r.from_point_id, r.to_point_id): r for r in routes}
    written: set[tuple[int, int]] = set()
    for route in routes:
        pair = (route.from_point_id, route.to_point_id)
        if pair in written:
            continue
        back = legs.get((route.to_point_id, route.from_point_id))
        both = back is not None and (back.travel_days, back.weekdays or None, back.note) == (
            route.travel_days,
            route.weekdays or None,
            route.note,
        )
        written.add(pair)
        if both:
            written.add((route.to_point_id, route.from_point_id))
        data.routes.append(
            RouteData(
                from_code=by_id[route.from_point_id].code,
                to_code=by_id[route.to_point_id].code,
                days=route.travel_days,
                both_ways=both,
                weekdays=tuple(route.weekdays) if route.weekdays else None,
                note=route.note,
            )
        )
    return data
