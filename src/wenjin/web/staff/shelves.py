"""Holds and transits at a point, as the desk works them each day: the pull list (取书单),
the hold shelf (预约架) and its expired copies, the boxes to send (调拨出库) and the
items expected (待接收), with receive and "the courier took the boxes" as forms.

The point is the desk's (see :func:`wenjin.web.staff.desk.desk_point`); reading needs
``circulation.read`` there, receiving and sending ``transfers.send``, expiring the hold
shelves (a network-wide run) ``holds.manage``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import Response

from wenjin.accounts.queries import place_of
from wenjin.accounts.rules import CIRCULATION_READ, HOLDS_MANAGE, TRANSFERS_SEND
from wenjin.circulation.queries import transits_expected, transits_to_send
from wenjin.circulation.services import mark_transits_sent, receive_transit
from wenjin.db.uow import UnitOfWork
from wenjin.errors import WenjinError
from wenjin.holds.queries import hold_shelf, pull_list
from wenjin.holds.services import expire_hold_shelf
from wenjin.network.queries import get_point_by_code
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
    with UnitOfWork(get_engine(request)) as uow:
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
    with UnitOfWork(get_engine(request)) as uow:
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
    with UnitOfWork(get_engine(request)) as uow:
        require_staff(request, actor, TRANSFERS_SEND, at=place_of(uow.session, at))
        count = mark_transits_sent(uow.session, at=at, actor=actor.username)
        uow.commit()
    return redirect_with_message(
        f"/staff/transits?at={at}", "ok", t("shelves.sent", get_lang(request), count=count)
    )
