"""``/api/v1/network``: service points (the tree, one point, its calendar) and courier routes,
and their administration as ``wenjin network`` and the staff client do it: create, change
and move points; weekly hours, closed days and public holidays; add, change and remove
courier legs. Every change needs ``network.write`` over the whole network."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.encoders import jsonable_encoder
from sqlalchemy.orm import Session

from wenjin.accounts.rules import NETWORK_WRITE, WHOLE_NETWORK
from wenjin.network.errors import InvalidClosedDays
from wenjin.network.queries import (
    calendar_for,
    flatten_tree,
    get_point_by_code,
    list_route_legs,
    network_tree,
    own_closed_days,
    route_map,
    shortest_route,
)
from wenjin.network.rules import WEEKDAY_KEYS, WeeklyHours, public_holidays
from wenjin.network.services import (
    add_closed_days,
    add_holidays,
    add_route,
    create_point,
    deactivate_point,
    move_point,
    reactivate_point,
    remove_closed_days,
    remove_route,
    set_opening_hours,
    update_point,
)
from wenjin.patrons.queries import network_today
from wenjin.web.api.deps import ActorDep, PageDep, ReadSession, WriteUoW, require
from wenjin.web.api.schemas import (
    ClosedDaysAdd,
    HolidaysImport,
    HoursSet,
    PointCreate,
    PointMove,
    PointUpdate,
    RouteSet,
)

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


# --- administration ------------------------------------------------------------------


def _point_json(session: Session, code: str) -> dict[str, Any]:
    the_point = get_point_by_code(session, code)
    return flatten_tree(network_tree(session, at=the_point, active_only=False))[0]


@router.post("/points", status_code=201, summary="新建服务点 Create a service point")
def create(actor: ActorDep, body: PointCreate, uow: WriteUoW) -> dict[str, Any]:
    require(actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    session = uow.session
    created = create_point(
        session,
        code=body.code,
        name=body.name,
        kind=body.kind,
        parent=get_point_by_code(session, body.parent) if body.parent else None,
        name_en=body.name_en,
        address=body.address,
        phone=body.phone,
        lends=body.lends,
        pickup=body.pickup,
    )
    result = _point_json(session, created.code)
    uow.commit()
    return result


@router.patch("/points/{code}", summary="修改服务点 Change the given fields of a point")
def change(actor: ActorDep, code: PointCode, body: PointUpdate, uow: WriteUoW) -> dict[str, Any]:
    require(actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    session = uow.session
    the_point = get_point_by_code(session, code)
    given = body.model_dump(exclude_unset=True)
    active = given.pop("active", None)
    # A field that cannot be empty, sent as null, is left as it is.
    for name in ("name", "kind", "lends", "pickup", "inherit_closed_days", "sort_order"):
        if given.get(name, 0) is None:
            given.pop(name)
    update_point(session, point=the_point, **given)
    if active is True and not the_point.active:
        reactivate_point(session, point=the_point)
    elif active is False and the_point.active:
        deactivate_point(session, point=the_point)
    result = _point_json(session, the_point.code)
    uow.commit()
    return result


@router.post("/points/{code}/move", summary="移动服务点 Put a point under another parent")
def move(actor: ActorDep, code: PointCode, body: PointMove, uow: WriteUoW) -> dict[str, Any]:
    require(actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    session = uow.session
    the_point = get_point_by_code(session, code)
    parent = get_point_by_code(session, body.parent) if body.parent else None
    move_point(session, point=the_point, parent=parent)
    result = _point_json(session, the_point.code)
    uow.commit()
    return result


def _weekly(hours: WeeklyHours) -> dict[str, list[str]]:
    return {key: [str(p) for p in hours.on(n)] for n, key in enumerate(WEEKDAY_KEYS, start=1)}


@router.get("/points/{code}/hours", summary="开放时间 The point's own and observed weekly hours")
def hours(actor: ActorDep, session: ReadSession, code: PointCode) -> dict[str, Any]:
    the_point = get_point_by_code(session, code)
    own = the_point.opening_hours
    return {
        "code": the_point.code,
        "inherits": own is None,
        "own": _weekly(WeeklyHours.from_stored(own)) if own is not None else None,
        "observed": _weekly(calendar_for(session, the_point).weekly),
    }


@router.put("/points/{code}/hours", summary="设置开放时间 Set the weekly hours (or inherit)")
def put_hours(actor: ActorDep, code: PointCode, body: HoursSet, uow: WriteUoW) -> dict[str, Any]:
    require(actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    session = uow.session
    the_point = get_point_by_code(session, code)
    wanted = None
    if not body.inherit:
        wanted = {key: (getattr(body, key) or "").strip() or "closed" for key in WEEKDAY_KEYS}
    set_opening_hours(session, point=the_point, hours=wanted)
    uow.commit()
    return hours(actor, session, the_point.code)


def _check_day(day: date | None) -> None:
    """Calendars are kept for real years; a date far out is a typing slip."""
    if day is not None and not 1900 < day.year < 3000:
        raise InvalidClosedDays(
            day.isoformat(), "年份应在 1901 到 2999 之间", "the year must be 1901 to 2999"
        )


def _spans(session: Session, code: str) -> dict[str, Any]:
    the_point = get_point_by_code(session, code)
    return {
        "code": the_point.code,
        "inherit_closed_days": the_point.inherit_closed_days,
        "closed": [
            {"start": span.start, "end": span.last, "reason": span.reason}
            for span in own_closed_days(session, the_point)
        ],
    }


@router.get("/points/{code}/closed-days", summary="闭馆日 The point's own closed days")
def closed_days(actor: ActorDep, session: ReadSession, code: PointCode) -> dict[str, Any]:
    return jsonable_encoder(_spans(session, code))  # type: ignore[no-any-return]


@router.post(
    "/points/{code}/closed-days",
    status_code=201,
    summary="添加闭馆日 Close the point on a day or a span of days",
)
def close(actor: ActorDep, code: PointCode, body: ClosedDaysAdd, uow: WriteUoW) -> dict[str, Any]:
    require(actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    _check_day(body.start)
    _check_day(body.end)
    the_point = get_point_by_code(uow.session, code)
    added = add_closed_days(
        uow.session, point=the_point, start=body.start, end=body.end, reason=body.reason
    )
    uow.commit()
    return {"added": added, **jsonable_encoder(_spans(uow.session, the_point.code))}


@router.delete(
    "/points/{code}/closed-days",
    summary="取消闭馆日 Open the point again on its own closed days from start to end",
)
def reopen(
    actor: ActorDep,
    code: PointCode,
    uow: WriteUoW,
    start: date,
    end: Annotated[date | None, Query(description="inclusive; default: start")] = None,
) -> dict[str, Any]:
    require(actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    _check_day(start)
    _check_day(end)
    the_point = get_point_by_code(uow.session, code)
    removed = remove_closed_days(uow.session, point=the_point, start=start, end=end)
    uow.commit()
    return {"removed": removed, **jsonable_encoder(_spans(uow.session, the_point.code))}


@router.post(
    "/points/{code}/holidays",
    summary="导入法定节假日 Close the point on the public holidays of a year",
)
def holidays(
    actor: ActorDep, code: PointCode, body: HolidaysImport, uow: WriteUoW
) -> dict[str, Any]:
    require(actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    the_point = get_point_by_code(uow.session, code)
    added = add_holidays(uow.session, point=the_point, holidays=public_holidays(body.year))
    uow.commit()
    return {"year": body.year, "added": added}


@router.get("/courier-routes", summary="物流线路 Every courier leg")
def courier_routes(
    actor: ActorDep,
    session: ReadSession,
    page: PageDep,
    point: Annotated[
        str | None, Query(min_length=1, max_length=32, description="legs from or to this point")
    ] = None,
) -> dict[str, Any]:
    the_point = get_point_by_code(session, point) if point else None
    legs = list_route_legs(session, point=the_point)
    return {
        "items": jsonable_encoder(legs[page.offset : page.offset + page.per_page]),
        "page": page.page,
        "per_page": page.per_page,
        "total": len(legs),
    }


@router.put(
    "/courier-routes", summary="设置物流线路 Add or change a courier leg (and the way back)"
)
def put_route(actor: ActorDep, body: RouteSet, uow: WriteUoW) -> dict[str, Any]:
    require(actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    session = uow.session
    source = get_point_by_code(session, body.from_point)
    target = get_point_by_code(session, body.to_point)
    add_route(
        session,
        from_point=source,
        to_point=target,
        days=body.days,
        both_ways=body.both_ways,
        weekdays=body.weekdays or None,
        note=body.note,
    )
    legs = [
        leg
        for leg in list_route_legs(session, point=source)
        if {leg.from_point, leg.to_point} == {source.code, target.code}
    ]
    uow.commit()
    return {"legs": jsonable_encoder(legs)}


@router.delete("/courier-routes", summary="删除物流线路 Remove a courier leg (and the way back)")
def delete_route(
    actor: ActorDep,
    uow: WriteUoW,
    from_point: Annotated[str, Query(alias="from", min_length=1, max_length=32)],
    to_point: Annotated[str, Query(alias="to", min_length=1, max_length=32)],
    both_ways: bool = True,
) -> dict[str, Any]:
    require(actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    session = uow.session
    removed = remove_route(
        session,
        from_point=get_point_by_code(session, from_point),
        to_point=get_point_by_code(session, to_point),
        both_ways=both_ways,
    )
    uow.commit()
    return {"from": from_point, "to": to_point, "removed": removed}
