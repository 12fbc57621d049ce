"""Items at the desk (查册 and the item's troubles): look a copy up by its barcode — status,
where it is, its loan, the holds on its title, its transit — and record what happened to
it: the reader lost it (the replacement is charged), it was found, it is damaged (with a
note), it is repaired, the reader says it was returned (声称已还).

The same services as ``wenjin circ lost|found|damaged|repaired`` and
``/api/v1/circulation/…``, with the same permission (``circulation.lend`` at the desk's
point); the lookup is ``wenjin item show`` and ``/api/v1/items/{barcode}``.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from wenjin.accounts.queries import place_of
from wenjin.accounts.rules import CIRCULATION_LEND, CIRCULATION_READ, PATRONS_READ, Actor, may
from wenjin.catalog.queries import get_item_by_barcode, item_details
from wenjin.circulation.models import Transit
from wenjin.circulation.queries import current_loan
from wenjin.circulation.services import (
    CheckinResult,
    claim_returned,
    declare_lost,
    found,
    mark_damaged,
    mark_repaired,
)
from wenjin.circulation.states import TransitStatus
from wenjin.db.uow import UnitOfWork
from wenjin.errors import WenjinError
from wenjin.holds.queries import list_holds
from wenjin.network.models import ServicePoint
from wenjin.web.deps import get_engine, get_lang
from wenjin.web.flash import redirect_with_message, render_with_flash
from wenjin.web.i18n import t
from wenjin.web.staff.auth import StaffActor, require_staff
from wenjin.web.staff.desk import _desk_url, desk_point

router = APIRouter()

ITEM_ACTIONS = ("lost", "claimed", "found", "damaged", "repaired")


def item_url(barcode: str, at: str | None = None, card: str | None = None) -> str:
    query = "&".join(f"{k}={quote(v)}" for k, v in (("at", at), ("card", card)) if v)
    return f"/staff/items/{quote(barcode.strip(), safe='')}" + (f"?{query}" if query else "")


def item_view(session: Session, actor: Actor, barcode: str) -> dict[str, Any]:
    """What the desk sees of one copy: its details, loan, transit and the title's holds."""
    details = item_details(session, barcode)
    item = get_item_by_barcode(session, barcode)
    loan = current_loan(session, item.id)
    transit = session.execute(
        select(Transit, ServicePoint.code, ServicePoint.name)
        .join(ServicePoint, ServicePoint.id == Transit.to_point_id)
        .where(Transit.item_id == item.id, Transit.status == TransitStatus.IN_TRANSIT)
    ).first()
    return {
        "details": details,
        "loan": None
        if loan is None
        else {"status": loan.status, "due_on": loan.due_on, "renewals": loan.renewals},
        "borrower": (
            {"name": loan.patron.name, "card": loan.card_number}
            if loan is not None and may(actor, PATRONS_READ)
            else None
        ),
        "transit": None
        if transit is None
        else {"to_code": transit[1], "to_name": transit[2], "sent_at": transit[0].sent_at},
        "holds": list_holds(session, record_id=details.record_id),
    }


@router.get("/items", name="staff_item_find")
def find_item(
    request: Request,
    actor: StaffActor,
    barcode: Annotated[str, Query(max_length=64)] = "",
    at: Annotated[str | None, Query(max_length=32)] = None,
    card: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """The 查册 box: go to the item's page."""
    if not barcode.strip():
        return RedirectResponse(_desk_url(at, card), status_code=303)
    return RedirectResponse(item_url(barcode, at, card), status_code=303)


@router.get("/items/{barcode}", name="staff_item_lookup")
def item_page(
    request: Request,
    actor: StaffActor,
    barcode: str,
    at: Annotated[str | None, Query(max_length=32)] = None,
    card: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    require_staff(request, actor, CIRCULATION_READ)
    code = desk_point(request, actor, at)
    view: dict[str, Any] | None = None
    problem: str | None = None
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        try:
            view = item_view(uow.session, actor, barcode[:64])
        except WenjinError as error:
            problem = error.message(get_lang(request))
        may_act = code is not None and may(actor, CIRCULATION_LEND, place_of(uow.session, code))
    return render_with_flash(
        request,
        "staff/item.html",
        {
            "actor": actor,
            "active_nav": "desk",
            "barcode": barcode[:64],
            "view": view,
            "problem": problem,
            "at": code,
            "card": card or "",
            "may_act": may_act,
            "back": _desk_url(code, card),
        },
        status_code=404 if problem else 200,
    )


def _slip(result: CheckinResult, lang: str) -> str:
    return result.slip.en if lang == "en" else result.slip.zh


@router.post("/desk/item", name="staff_item_action")
def item_action(
    request: Request,
    actor: StaffActor,
    at: Annotated[str, Form(max_length=32)],
    barcode: Annotated[str, Form(max_length=64)],
    action: Annotated[str, Form(max_length=16)],
    note: Annotated[str, Form(max_length=200)] = "",
    card: Annotated[str, Form(max_length=64)] = "",
    back_to: Annotated[str, Form(max_length=16)] = "desk",
) -> Response:
    lang = get_lang(request)
    back = item_url(barcode, at, card or None) if back_to == "item" else _desk_url(at, card or None)
    if action not in ITEM_ACTIONS:
        return redirect_with_message(back, "error", t("desk2.item.unknown_action", lang))
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        require_staff(request, actor, CIRCULATION_LEND, at=place_of(uow.session, at))
        session, who = uow.session, actor.username
        try:
            if action == "lost":
                lost = declare_lost(session, barcode=barcode, at=at, actor=who)
                text = t(
                    "desk2.item.lost",
                    lang,
                    title=lost.title or lost.barcode,
                    amount=f"{lost.charged_fen / 100:.2f}",
                )
            elif action == "claimed":
                claim_returned(session, barcode=barcode, at=at, actor=who)
                text = t("desk2.item.claimed", lang, barcode=barcode.strip())
            elif action == "found":
                result = found(session, barcode=barcode, at=at, actor=who)
                text = t("desk2.item.found", lang, title=result.title or result.barcode)
                text += " " + _slip(result, lang)
            elif action == "damaged":
                item = mark_damaged(session, barcode=barcode, at=at, note=note, actor=who)
                text = t("desk2.item.damaged", lang, barcode=item.barcode)
            else:
                result = mark_repaired(session, barcode=barcode, at=at, actor=who)
                text = t("desk2.item.repaired", lang, title=result.title or result.barcode)
                text += " " + _slip(result, lang)
        except WenjinError as error:
            return redirect_with_message(back, "error", error.message(lang))
        uow.commit()
    return redirect_with_message(back, "ok", text)
