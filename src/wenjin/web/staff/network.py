"""The service network in the staff client (服务网络): every point in tree order, a form
to change one point's names, kind, address, phone, lending and pickup flags and whether
it is active, to create a point and to move one under another parent; each point's
opening calendar (weekly hours, closed days, the public holidays of a year) and the
courier routes (物流线路) between points, through the same services as ``wenjin network``
and ``/api/v1/network``. Reading is open to staff; every change needs ``network.write``
over the whole network (a network-wide account)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from wenjin.accounts.rules import NETWORK_WRITE, WHOLE_NETWORK, may
from wenjin.db.uow import UnitOfWork
from wenjin.errors import WenjinError
from wenjin.network.queries import (
    calendar_for,
    flatten_tree,
    get_point_by_code,
    list_route_legs,
    network_tree,
    own_closed_days,
    point_summary,
)
from wenjin.network.rules import (
    PUBLIC_HOLIDAYS,
    WEEKDAY_KEYS,
    WEEKDAY_ZH,
    WeeklyHours,
    public_holidays,
)
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
from wenjin.network.states import PointKind
from wenjin.patrons.queries import network_today
from wenjin.web.deps import get_engine, get_lang
from wenjin.web.flash import redirect_with_message, render_with_flash
from wenjin.web.i18n import t
from wenjin.web.staff.auth import StaffActor, require_staff

router = APIRouter()

PointCode = Annotated[str, Path(min_length=1, max_length=32)]
DayField = Annotated[str, Form(max_length=10)]
NETWORK_PAGE = "/staff/network"
ROUTES_PAGE = "/staff/network/routes"
NEW_POINT_PAGE = "/staff/network/new-point"


def _point_choices(session: Session, *, leave_out: str | None = None) -> list[tuple[str, str, int]]:
    """(code, name, depth) of every active point in tree order, for a parent or route select."""
    return [
        (row["code"], row["name"], row["depth"])
        for row in flatten_tree(network_tree(session))
        if row["code"] != leave_out
    ]


def _day(text: str, lang: str) -> date:
    """A date typed in a form (2026-10-01); ValueError with the message to show."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(t("cal.bad_date", lang, value=text)) from None
    if not 1900 < day.year < 3000:
        raise ValueError(t("cal.bad_date", lang, value=text))
    return day


@router.get("/network", name="staff_network")
def network_page(request: Request, actor: StaffActor) -> Response:
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        rows = flatten_tree(network_tree(uow.session, active_only=False))
    return render_with_flash(
        request,
        "staff/network.html",
        {
            "actor": actor,
            "active_nav": "network",
            "rows": rows,
            "may_write": may(actor, NETWORK_WRITE, WHOLE_NETWORK),
        },
    )


@router.get("/network/points/{code}", name="staff_network_point")
def point_page(request: Request, actor: StaffActor, code: PointCode) -> Response:
    require_staff(request, actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        point = get_point_by_code(uow.session, code)
        parent = point.parent.code if point.parent is not None else None
        summary = point_summary(point, parent)
        parents = _point_choices(uow.session, leave_out=point.code)
    return render_with_flash(
        request,
        "staff/network_point.html",
        {
            "actor": actor,
            "active_nav": "network",
            "point": summary,
            "kinds": list(PointKind),
            "parents": parents,
        },
    )


@router.post("/network/points/{code}", name="staff_network_point_save")
def save_point(
    request: Request,
    actor: StaffActor,
    code: PointCode,
    name: Annotated[str, Form(max_length=200)] = "",
    name_en: Annotated[str, Form(max_length=200)] = "",
    kind: Annotated[str, Form(max_length=20)] = "",
    address: Annotated[str, Form(max_length=300)] = "",
    phone: Annotated[str, Form(max_length=40)] = "",
    lends: Annotated[str, Form(max_length=8)] = "",
    pickup: Annotated[str, Form(max_length=8)] = "",
    active: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    require_staff(request, actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    lang = get_lang(request)
    page = request.app.url_path_for("staff_network_point", code=code)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        try:
            point = get_point_by_code(uow.session, code)
            update_point(
                uow.session,
                point=point,
                name=name,
                name_en=name_en.strip() or None,
                kind=kind or point.kind,
                address=address.strip() or None,
                phone=phone.strip() or None,
                lends=lends == "on",
                pickup=pickup == "on",
            )
            wanted_active = active == "on"
            if wanted_active and not point.active:
                reactivate_point(uow.session, point=point)
            elif not wanted_active and point.active:
                deactivate_point(uow.session, point=point)
            uow.commit()
        except WenjinError as error:
            return redirect_with_message(page, "error", error.message(lang))
    return redirect_with_message(page, "ok", t("netadmin.saved", lang, code=code))


@router.post("/network/points/{code}/move", name="staff_network_point_move")
def move(
    request: Request,
    actor: StaffActor,
    code: PointCode,
    parent: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    """Put the point (with everything under it) under another parent; none makes it a root."""
    require_staff(request, actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    lang = get_lang(request)
    page = request.app.url_path_for("staff_network_point", code=code)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        try:
            point = get_point_by_code(uow.session, code)
            new_parent = get_point_by_code(uow.session, parent) if parent.strip() else None
            move_point(uow.session, point=point, parent=new_parent)
            uow.commit()
        except WenjinError as error:
            return redirect_with_message(page, "error", error.message(lang))
    where = parent.strip() or t("point_new.root", lang)
    return redirect_with_message(page, "ok", t("point_new.moved", lang, code=code, parent=where))


@router.get("/network/new-point", name="staff_network_new_point")
def new_point_page(request: Request, actor: StaffActor) -> Response:
    require_staff(request, actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        parents = _point_choices(uow.session)
    return render_with_flash(
        request,
        "staff/network_new_point.html",
        {"actor": actor, "active_nav": "network", "kinds": list(PointKind), "parents": parents},
    )


@router.post("/network/new-point", name="staff_network_create_point")
def create(
    request: Request,
    actor: StaffActor,
    code: Annotated[str, Form(max_length=32)] = "",
    name: Annotated[str, Form(max_length=200)] = "",
    name_en: Annotated[str, Form(max_length=200)] = "",
    kind: Annotated[str, Form(max_length=20)] = "",
    parent: Annotated[str, Form(max_length=32)] = "",
    address: Annotated[str, Form(max_length=300)] = "",
    phone: Annotated[str, Form(max_length=40)] = "",
    lends: Annotated[str, Form(max_length=8)] = "",
    pickup: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """A new service point (a branch, a village reading room, a station…) under a parent."""
    require_staff(request, actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    lang = get_lang(request)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        try:
            point = create_point(
                uow.session,
                code=code,
                name=name,
                kind=kind,
                parent=get_point_by_code(uow.session, parent) if parent.strip() else None,
                name_en=name_en.strip() or None,
                address=address.strip() or None,
                phone=phone.strip() or None,
                lends=lends == "on",
                pickup=pickup == "on",
            )
            created = point.code
            uow.commit()
        except WenjinError as error:
            return redirect_with_message(NEW_POINT_PAGE, "error", error.message(lang))
    return redirect_with_message(
        request.app.url_path_for("staff_network_point", code=created),
        "ok",
        t("point_new.created", lang, code=created),
    )


# --- calendars -----------------------------------------------------------------------


@router.get("/network/points/{code}/calendar", name="staff_network_calendar")
def calendar_page(request: Request, actor: StaffActor, code: PointCode) -> Response:
    """A point's opening calendar: its own weekly hours (or its parent's), what it observes
    in the coming weeks, and its own closed days from the start of this year on."""
    today = network_today()
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        point = get_point_by_code(uow.session, code)
        calendar = calendar_for(uow.session, point)
        own = (
            WeeklyHours.from_stored(point.opening_hours)
            if point.opening_hours is not None
            else None
        )
        context = {
            "actor": actor,
            "active_nav": "network",
            "point": point_summary(point, point.parent.code if point.parent else None),
            "inherits_hours": own is None,
            "weekdays": [
                {
                    "key": key,
                    "label": WEEKDAY_ZH[number - 1],
                    "own": ", ".join(str(p) for p in own.on(number)) if own else "",
                    "observed": [str(p) for p in calendar.weekly.on(number)],
                }
                for number, key in enumerate(WEEKDAY_KEYS, start=1)
            ],
            "hours_configured": calendar.hours_configured,
            "days": list(calendar.days(today, 28)),
            "closed": own_closed_days(uow.session, point, since=date(today.year, 1, 1)),
            "inherit_closed_days": point.inherit_closed_days,
            "holiday_years": sorted(PUBLIC_HOLIDAYS),
            "this_year": today.year,
            "may_write": may(actor, NETWORK_WRITE, WHOLE_NETWORK),
        }
    return render_with_flash(request, "staff/network_calendar.html", context)


def _calendar_url(request: Request, code: str) -> str:
    return request.app.url_path_for("staff_network_calendar", code=code)


@router.post("/network/points/{code}/hours", name="staff_network_hours")
async def save_hours(request: Request, actor: StaffActor, code: PointCode) -> Response:
    """The weekly hours, one field per weekday (empty: closed); or the parent's again."""
    require_staff(request, actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    lang = get_lang(request)
    back = _calendar_url(request, code)
    form = await request.form()
    inherit = str(form.get("inherit", "") or "") == "on"
    hours = {
        key: str(form.get(f"hours_{key}", "") or "").strip()[:100] or "closed"
        for key in WEEKDAY_KEYS
    }
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        try:
            point = get_point_by_code(uow.session, code)
            set_opening_hours(uow.session, point=point, hours=None if inherit else hours)
            uow.commit()
        except WenjinError as error:
            return redirect_with_message(back, "error", error.message(lang))
    key = "cal.hours_inherited" if inherit else "cal.hours_saved"
    return redirect_with_message(back, "ok", t(key, lang, code=code))


@router.post("/network/points/{code}/closed-days", name="staff_network_close")
def close_days(
    request: Request,
    actor: StaffActor,
    code: PointCode,
    start: DayField,
    end: DayField = "",
    reason: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Close the point on a day or a span of days (inclusive), with a reason."""
    require_staff(request, actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    lang = get_lang(request)
    back = _calendar_url(request, code)
    try:
        first = _day(start, lang)
        last = _day(end, lang) if end.strip() else None
    except ValueError as error:
        return redirect_with_message(back, "error", str(error))
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        try:
            point = get_point_by_code(uow.session, code)
            added = add_closed_days(
                uow.session, point=point, start=first, end=last, reason=reason.strip() or None
            )
            uow.commit()
        except WenjinError as error:
            return redirect_with_message(back, "error", error.message(lang))
    return redirect_with_message(back, "ok", t("cal.closed_added", lang, count=added))


@router.post("/network/points/{code}/closed-days/remove", name="staff_network_reopen")
def reopen_days(
    request: Request, actor: StaffActor, code: PointCode, start: DayField, end: DayField = ""
) -> Response:
    """Open the point again on its own closed days from ``start`` to ``end``."""
    require_staff(request, actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    lang = get_lang(request)
    back = _calendar_url(request, code)
    try:
        first = _day(start, lang)
        last = _day(end, lang) if end.strip() else None
    except ValueError as error:
        return redirect_with_message(back, "error", str(error))
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        try:
            point = get_point_by_code(uow.session, code)
            removed = remove_closed_days(uow.session, point=point, start=first, end=last)
            uow.commit()
        except WenjinError as error:
            return redirect_with_message(back, "error", error.message(lang))
    if not removed:
        return redirect_with_message(back, "error", t("cal.nothing_removed", lang))
    return redirect_with_message(back, "ok", t("cal.closed_removed", lang, count=removed))


@router.post("/network/points/{code}/holidays", name="staff_network_holidays")
def import_holidays(
    request: Request,
    actor: StaffActor,
    code: PointCode,
    year: Annotated[int, Form(ge=1900, le=2999)],
) -> Response:
    """Close the point on the national public holidays of ``year`` (法定节假日)."""
    require_staff(request, actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    lang = get_lang(request)
    back = _calendar_url(request, code)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        try:
            point = get_point_by_code(uow.session, code)
            added = add_holidays(uow.session, point=point, holidays=public_holidays(year))
            uow.commit()
        except WenjinError as error:
            return redirect_with_message(back, "error", error.message(lang))
    return redirect_with_message(back, "ok", t("cal.holidays_added", lang, year=year, count=added))


# --- courier routes ------------------------------------------------------------------


@router.get("/network/routes", name="staff_network_routes")
def routes_page(request: Request, actor: StaffActor) -> Response:
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        legs = list_route_legs(uow.session)
        points = _point_choices(uow.session)
    return render_with_flash(
        request,
        "staff/network_routes.html",
        {
            "actor": actor,
            "active_nav": "network",
            "legs": legs,
            "points": points,
            "weekdays": list(zip(WEEKDAY_KEYS, WEEKDAY_ZH, strict=True)),
            "may_write": may(actor, NETWORK_WRITE, WHOLE_NETWORK),
        },
    )


@router.post("/network/routes", name="staff_network_route_save")
async def save_route(request: Request, actor: StaffActor) -> Response:
    """Add or change the courier leg from → to (and the way back, unless one way only)."""
    require_staff(request, actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    lang = get_lang(request)
    form = await request.form()
    source = str(form.get("from", "") or "").strip()[:32]
    target = str(form.get("to", "") or "").strip()[:32]
    raw_days = str(form.get("days", "") or "").strip()[:8]
    note = str(form.get("note", "") or "").strip()[:500] or None
    both_ways = str(form.get("both_ways", "") or "") == "on"
    leaving = [key for key in WEEKDAY_KEYS if str(form.get(f"day_{key}", "") or "") == "on"]
    if not raw_days.isdigit() or not 0 <= int(raw_days) <= 365:
        return redirect_with_message(
            ROUTES_PAGE, "error", t("route.bad_days", lang, value=raw_days)
        )
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        try:
            add_route(
                uow.session,
                from_point=get_point_by_code(uow.session, source),
                to_point=get_point_by_code(uow.session, target),
                days=int(raw_days),
                both_ways=both_ways,
                weekdays=leaving or None,
                note=note,
            )
            uow.commit()
        except WenjinError as error:
            return redirect_with_message(ROUTES_PAGE, "error", error.message(lang))
    return redirect_with_message(
        ROUTES_PAGE, "ok", t("route.saved", lang, source=source, target=target)
    )


@router.post("/network/routes/remove", name="staff_network_route_remove")
def delete_route(
    request: Request,
    actor: StaffActor,
    source: Annotated[str, Form(alias="from", max_length=32)],
    target: Annotated[str, Form(alias="to", max_length=32)],
    both_ways: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    require_staff(request, actor, NETWORK_WRITE, at=WHOLE_NETWORK)
    lang = get_lang(request)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        try:
            removed = remove_route(
                uow.session,
                from_point=get_point_by_code(uow.session, source),
                to_point=get_point_by_code(uow.session, target),
                both_ways=both_ways == "on",
            )
            uow.commit()
        except WenjinError as error:
            return redirect_with_message(ROUTES_PAGE, "error", error.message(lang))
    return redirect_with_message(
        ROUTES_PAGE, "ok", t("route.removed", lang, source=source, target=target, count=removed)
    )
