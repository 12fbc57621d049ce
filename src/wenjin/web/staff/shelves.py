"""Holds and transits at a point, as the desk works them each day: the pull list (取书单),
the hold shelf (预约架) and its expired copies, the boxes to send (调拨出库) and the
items expected (待接收), with receive and "the courier took the boxes" as forms; a
manual transfer (人工调拨), cancelling a transit, recording one lost on the way (途中丢失),
and the courier manifest (物流交接单) per leg with its hand-over (``wenjin transit``).

The point is the desk's (see :func:`wenjin.web.staff.desk.desk_point`); reading needs
``circulation.read`` there, receiving and sending ``transfers.send``, expiring the hold
shelves (a network-wide run) ``holds.manage``. Cancelling needs ``transfers.send`` where
the item is (its origin while it is still in the box); a loss may be recorded by either
end of the journey, as ``/api/v1/transits/…`` does.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from sqlalchemy import select
from starlette.responses import Response

from wenjin.accounts.queries import place_of
from wenjin.accounts.rules import CIRCULATION_READ, HOLDS_MANAGE, TRANSFERS_SEND, may
from wenjin.catalog.states import ItemStatus
from wenjin.circulation.queries import transits_expected, transits_leaving, transits_to_send
from wenjin.circulation.services import mark_transits_sent, receive_transit
from wenjin.db.uow import UnitOfWork
from wenjin.errors import WenjinError
from wenjin.holds.queries import hold_shelf, pull_list
from wenjin.holds.services import expire_hold_shelf
from wenjin.network.models import ServicePoint
from wenjin.network.queries import get_point_by_code
from wenjin.patrons.queries import network_today
from wenjin.transfers.queries import courier_manifest, transit_of_item
from wenjin.transfers.services import (
    LOST_IN_TRANSIT_STATUSES,
    TransferResult,
    cancel_transit,
    hand_to_courier,
    send_item,
    transit_lost,
)
from wenjin.web.deps import get_engine, get_lang
from wenjin.web.flash import redirect_with_message, render_with_flash
from wenjin.web.i18n import t
from wenjin.web.staff.auth import StaffActor, require_staff
from wenjin.web.staff.desk import desk_point

router = APIRouter()


@router.get("/holds", name="staff_holds")
def holds_page(
    request: Request, actor: StaffActor, at: Annotated[str | None, Query(max_length=32)] = None
) -> Response:
    code = desk_point(request, actor, at)
    context: dict[str, object] = {"actor": actor, "active_nav": "holds", "at": code}
    if code:
        with UnitOfWork(get_engine(request), readonly=True) as uow:
            require_staff(request, actor, CIRCULATION_READ, at=place_of(uow.session, code))
            context |= {
                "pulls": pull_list(uow.session, at=code),
                "shelf": hold_shelf(uow.session, at=code),
            }
    return render_with_flash(request, "staff/holds.html", context)


@router.post("/holds/expire", name="staff_expire_holds")
def expire(
    request: Request, actor: StaffActor, at: Annotated[str, Form(max_length=32)]
) -> Response:
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        require_staff(request, actor, HOLDS_MANAGE)
        expired = expire_hold_shelf(uow.session, actor=actor.username)
        uow.commit()
    return redirect_with_message(
        f"/staff/holds?at={at}", "ok", t("shelves.expired", get_lang(request), count=len(expired))
    )


@router.get("/transits", name="staff_transits")
def transits_page(
    request: Request, actor: StaffActor, at: Annotated[str | None, Query(max_length=32)] = None
) -> Response:
    code = desk_point(request, actor, at)
    context: dict[str, object] = {"actor": actor, "active_nav": "transits", "at": code}
    if code:
        with UnitOfWork(get_engine(request), readonly=True) as uow:
            require_staff(request, actor, CIRCULATION_READ, at=place_of(uow.session, code))
            point = get_point_by_code(uow.session, code)
            context |= {
                "to_send": transits_to_send(uow.session, point),
                "expected": transits_expected(uow.session, point),
                "on_the_way": [
                    line for line in transits_leaving(uow.session, point) if line.sent_at
                ],
                "destinations": [
                    (p.code, p.name)
                    for p in uow.session.scalars(
                        select(ServicePoint)
                        .where(ServicePoint.active.is_(True), ServicePoint.id != point.id)
                        .order_by(ServicePoint.sort_order, ServicePoint.code)
                    )
                ],
                "lost_statuses": LOST_IN_TRANSIT_STATUSES,
                "may_send": may(actor, TRANSFERS_SEND, place_of(uow.session, code)),
            }
    return render_with_flash(request, "staff/transits.html", context)


@router.post("/transits/receive", name="staff_receive")
def receive(
    request: Request,
    actor: StaffActor,
    at: Annotated[str, Form(max_length=32)],
    barcode: Annotated[str, Form(max_length=64)],
) -> Response:
    back = f"/staff/transits?at={at}"
    lang = get_lang(request)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        require_staff(request, actor, TRANSFERS_SEND, at=place_of(uow.session, at))
        try:
            result = receive_transit(uow.session, at=at, barcode=barcode, actor=actor.username)
        except WenjinError as error:
            return redirect_with_message(back, "error", error.message(lang))
        uow.commit()
    slip = result.slip.en if lang == "en" else result.slip.zh
    text = t("shelves.received", lang, title=result.title or result.barcode, barcode=result.barcode)
    return redirect_with_message(back, "ok", f"{text} {slip}")


@router.post("/transits/sent", name="staff_transits_sent")
def sent(request: Request, actor: StaffActor, at: Annotated[str, Form(max_length=32)]) -> Response:
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        require_staff(request, actor, TRANSFERS_SEND, at=place_of(uow.session, at))
        count = mark_transits_sent(uow.session, at=at, actor=actor.username)
        uow.commit()
    return redirect_with_message(
        f"/staff/transits?at={at}", "ok", t("shelves.sent", get_lang(request), count=count)
    )


def _transits_url(at: str) -> str:
    return f"/staff/transits?{urlencode({'at': at})}"


def _moved(result: TransferResult, key: str, lang: str) -> str:
    return t(
        key,
        lang,
        title=result.title or result.barcode,
        barcode=result.barcode,
        to=f"{result.to_point_name}（{result.to_point}）",
        where=result.item_point,
    )


@router.post("/transits/send", name="staff_transit_send")
def send(
    request: Request,
    actor: StaffActor,
    at: Annotated[str, Form(max_length=32)],
    barcode: Annotated[str, Form(max_length=64)],
    to: Annotated[str, Form(max_length=32)],
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """人工调拨: an item on the shelf here goes in the box for another point."""
    back = _transits_url(at)
    lang = get_lang(request)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        require_staff(request, actor, TRANSFERS_SEND, at=place_of(uow.session, at))
        try:
            result = send_item(
                uow.session,
                at=at,
                barcode=barcode,
                to=to,
                note=note.strip() or None,
                actor=actor.username,
            )
        except WenjinError as error:
            return redirect_with_message(back, "error", error.message(lang))
        uow.commit()
    return redirect_with_message(back, "ok", _moved(result, "tr.sent_one", lang))


@router.post("/transits/cancel", name="staff_transit_cancel")
def cancel(
    request: Request,
    actor: StaffActor,
    at: Annotated[str, Form(max_length=32)],
    barcode: Annotated[str, Form(max_length=64)],
    reason: Annotated[str, Form(max_length=500)] = "",
    here: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """取消调拨: the item goes back on the shelf where it is: its origin while it is still in
    the box, this desk's point once the courier has taken it (``here``)."""
    back = _transits_url(at)
    lang = get_lang(request)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        try:
            transit = transit_of_item(uow.session, barcode)
        except WenjinError as error:
            return redirect_with_message(back, "error", error.message(lang))
        where = at if here == "on" else None
        require_staff(
            request,
            actor,
            TRANSFERS_SEND,
            at=place_of(uow.session, where or transit.from_point),
        )
        try:
            result = cancel_transit(
                uow.session,
                barcode=transit.barcode,
                at=where,
                reason=reason.strip() or None,
                actor=actor.username,
            )
        except WenjinError as error:
            return redirect_with_message(back, "error", error.message(lang))
        uow.commit()
    return redirect_with_message(back, "ok", _moved(result, "tr.cancelled", lang))


@router.post("/transits/lost", name="staff_transit_lost")
def lost(
    request: Request,
    actor: StaffActor,
    at: Annotated[str, Form(max_length=32)],
    barcode: Annotated[str, Form(max_length=64)],
    status: Annotated[str, Form(max_length=16)] = ItemStatus.MISSING.value,
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """途中丢失: the transit ends lost and the item is marked missing (or lost)."""
    back = _transits_url(at)
    lang = get_lang(request)
    marks = {s.value: s for s in LOST_IN_TRANSIT_STATUSES}
    mark = marks.get(status.strip().lower())
    if mark is None:
        return redirect_with_message(back, "error", t("tr.lost_status_invalid", lang))
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        try:
            transit = transit_of_item(uow.session, barcode)
        except WenjinError as error:
            return redirect_with_message(back, "error", error.message(lang))
        # Either end of the journey may say the item never arrived.
        if not may(actor, TRANSFERS_SEND, place_of(uow.session, transit.to_point)):
            require_staff(
                request, actor, TRANSFERS_SEND, at=place_of(uow.session, transit.from_point)
            )
        try:
            result = transit_lost(
                uow.session,
                barcode=transit.barcode,
                mark=mark,
                note=note.strip() or None,
                actor=actor.username,
            )
        except WenjinError as error:
            return redirect_with_message(back, "error", error.message(lang))
        uow.commit()
    return redirect_with_message(back, "ok", _moved(result, "tr.lost_recorded", lang))


@router.get("/transits/manifest", name="staff_transit_manifest")
def manifest_page(
    request: Request,
    actor: StaffActor,
    at: Annotated[str | None, Query(max_length=32)] = None,
    day: Annotated[date | None, Query(alias="date")] = None,
    route: Annotated[str | None, Query(max_length=32)] = None,
) -> Response:
    """物流交接单: what leaves the point on a day, per courier leg (to print and sign)."""
    code = desk_point(request, actor, at)
    context: dict[str, object] = {"actor": actor, "active_nav": "transits", "at": code}
    if code:
        when = day if day is not None and 1900 < day.year < 9000 else network_today()
        with UnitOfWork(get_engine(request), readonly=True) as uow:
            place = place_of(uow.session, code)
            require_staff(request, actor, CIRCULATION_READ, at=place)
            context |= {
                "manifest": courier_manifest(
                    uow.session, at=code, day=when, route=(route or "").strip() or None
                ),
                "may_send": may(actor, TRANSFERS_SEND, place),
                "today": when == network_today(),
            }
    return render_with_flash(request, "staff/transit_manifest.html", context)


@router.post("/transits/dispatch", name="staff_transit_dispatch")
def dispatch(
    request: Request,
    actor: StaffActor,
    at: Annotated[str, Form(max_length=32)],
    route: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    """物流交接: the courier took today's boxes (of one leg, with ``route``): they are sent."""
    params = {"at": at, **({"route": route} if route else {})}
    back = f"/staff/transits/manifest?{urlencode(params)}"
    lang = get_lang(request)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        require_staff(request, actor, TRANSFERS_SEND, at=place_of(uow.session, at))
        try:
            sent = hand_to_courier(
                uow.session, at=at, route=route.strip() or None, actor=actor.username
            )
        except WenjinError as error:
            return redirect_with_message(back, "error", error.message(lang))
        uow.commit()
    return redirect_with_message(back, "ok", t("tr.dispatched", lang, count=len(sent)))
