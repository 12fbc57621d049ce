"""The network of service points: the whole tree, and one point's page."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from starlette.responses import Response

from wenjin.catalog.queries import point_holdings
from wenjin.network.errors import NeverOpen
from wenjin.network.queries import (
    ancestors,
    calendar_for,
    calendars_for,
    get_point_by_code,
    list_points,
    network_tree,
    point_summary,
)
from wenjin.network.rules import WEEKDAYS, DayStatus, OpeningCalendar
from wenjin.web.deps import ReadSession, SettingsDep, network_today
from wenjin.web.templating import render

router = APIRouter()

UPCOMING_CLOSED_DAYS = 10
# A point with more children than this, none of which has children of its own, shows them
# folded (a town's village reading rooms); lists that lead further down stay open.
FOLD_CHILDREN_ABOVE = 12


@router.get("/network", name="network")
def network(request: Request, session: ReadSession, settings: SettingsDep) -> Response:
    today = network_today(settings)
    points = list_points(session)
    calendars = calendars_for(session, points, since=today)
    statuses = {
        point.code: _known_status(calendars[point.id], today) for point in points if point.active
    }
    return render(
        request,
        "opac/network.html",
        {
            "roots": network_tree(session),
            "statuses": statuses,
            "today_date": today,
            "fold_above": FOLD_CHILDREN_ABOVE,
        },
    )


@router.get("/network/{code}", name="point")
def point(request: Request, code: str, session: ReadSession, settings: SettingsDep) -> Response:
    point = get_point_by_code(session, code)
    today = network_today(settings)
    calendar = calendar_for(session, point)
    status = _known_status(calendar, today)
    next_open = None
    never_open = False
    if status is not None and not status.is_open:
        try:
            next_open = calendar.next_open_day(today)
        except NeverOpen:
            never_open = True
    parent_code = point.parent.code if point.parent else None
    return render(
        request,
        "opac/point.html",
        {
            "point": point,
            "node": point_summary(point, parent_code),
            "ancestors": ancestors(session, point),
            "children": [child for child in point.children if child.active],
            "today_date": today,
            "today_status": status,
            "next_open": next_open,
            "never_open": never_open,
            "hours_known": calendar.hours_configured,
            "weekly": [(day, calendar.weekly.on(day)) for day in WEEKDAYS],
            "closed_days": sorted(
                (day, reason) for day, reason in calendar.closed.items() if day >= today
            )[:UPCOMING_CLOSED_DAYS],
            "holdings": point_holdings(session, point.id),
        },
    )


def _known_status(calendar: OpeningCalendar, day: date) -> DayStatus | None:
    """``day`` at a point, or ``None`` when nobody has entered its hours and it is no closed day.

    A calendar without hours counts as open all day so that due dates work; a
    reader must not be told "open 00:00-24:00" on the strength of that.
    """
    status = calendar.status(day)
    if not calendar.hours_configured and status.is_open:
        return None
    return status
