"""``/api/v1/network``: service points (the tree, one point, its calendar) and courier routes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.encoders import jsonable_encoder

from wenjin.network.queries import (
    calendar_for,
    flatten_tree,
    get_point_by_code,
    network_tree,
    route_map,
    shortest_route,
)
from wenjin.patrons.queries import network_today
from wenjin.web.api.deps import ActorDep, PageDep, ReadSession

router = APIRouter(prefix="/network", tags=["network 总分馆"])

PointCode = Annotated[str, Path(min_length=1, max_length=32, description="服务点代码")]


@router.get("/points", summary="服务点 The points in tree order")
def points(
    actor: ActorDep,
    session: ReadSession,
    page: PageDep,
    under: Annotated[str | None, Query(min_length=1, max_length=32)] = None,
    kind: Annotated[str | None, Query(max_length=20)] = None,
    include_inactive: bool = False,
) -> dict[str, Any]:
    at = get_point_by_code(session, under) if under else None
    rows = flatten_tree(network_tree(session, at=at, active_only=not include_inactive))
    if kind:
        rows = [r for r in rows if r["kind"] == kind.strip()]
    return {
        "items": rows[page.offset : page.offset + page.per_page],
        "page": page.page,
        "per_page": page.per_page,
        "total": len(rows),
    }


@router.get("/tree", summary="总分馆树 The network as a tree")
def tree(
    actor: ActorDep,
    session: ReadSession,
    under: Annotated[str | None, Query(min_length=1, max_length=32)] = None,
) -> dict[str, Any]:
    at = get_point_by_code(session, under) if under else None
    return {"tree": network_tree(session, at=at)}


@router.get("/points/{code}", summary="一个服务点 One point")
def point(actor: ActorDep, session: ReadSession, code: PointCode) -> dict[str, Any]:
    the_point = get_point_by_code(session, code)
    return flatten_tree(network_tree(session, at=the_point, active_only=False))[0]


@router.get("/points/{code}/calendar", summary="开放日历 Open days and hours")
def calendar(
    actor: ActorDep,
    session: ReadSession,
    code: PointCode,
    start: Annotated[date | None, Query(alias="from")] = None,
    days: Annotated[int, Query(ge=1, le=366)] = 14,
) -> dict[str, Any]:
    the_point = get_point_by_code(session, code)
    first = start or network_today()
    if first + timedelta(days=days) > date.max - timedelta(days=1) or first.year < 1900:
        first = network_today()
    the_calendar = calendar_for(session, the_point)
    return {
        "code": the_point.code,
        "name": the_point.name,
        "hours_configured": the_calendar.hours_configured,
        "days": [
            {
                "date": s.day,
                "open": s.is_open,
                "hours": [str(p) for p in s.hours],
                "reason": s.label_zh if not s.is_open else None,
                "reason_en": s.label_en if not s.is_open else None,
            }
            for s in the_calendar.days(first, days)
        ],
    }


@router.get("/routes", summary="物流线路 The courier route between two points")
def route(
    actor: ActorDep,
    session: ReadSession,
    from_point: Annotated[str, Query(alias="from", min_length=1, max_length=32)],
    to_point: Annotated[str, Query(alias="to", min_length=1, max_length=32)],
    day: date | None = None,
) -> dict[str, Any]:
    a = get_point_by_code(session, from_point)
    b = get_point_by_code(session, to_point)
    found = shortest_route(session, a, b)
    arrival = None
    if day is not None and found is not None and day.year > 1900 and day.year < 9000:
        arrival = route_map(session).earliest_arrival(a.id, b.id, day)
    return jsonable_encoder(
        {
            "from": a.code,
            "to": b.code,
            "reachable": found is not None,
            "days": found.days if found else None,
            "path": [{"code": p.code, "name": p.name} for p in found.path] if found else [],
            "arrives": arrival,
        }
    )
