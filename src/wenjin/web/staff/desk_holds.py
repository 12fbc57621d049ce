"""Holds at the desk (柜台预约): for the reader at the counter, find the title (ISBN, words of
the title, or a copy's barcode), place the hold at a pickup point, and see, cancel,
suspend, resume or move the reader's holds.

The same services as ``wenjin holds place|cancel|suspend|resume|change`` and
``/api/v1/holds``, with the same permission: ``holds.place`` at the pickup point (and at
the new one when a hold moves).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from starlette.responses import Response

from wenjin.accounts.queries import place_of
from wenjin.accounts.rules import HOLDS_PLACE, PATRONS_READ
from wenjin.catalog.queries import find_records_at_desk
from wenjin.db.uow import UnitOfWork
from wenjin.errors import WenjinError
from wenjin.holds.queries import hold_line
from wenjin.holds.services import (
    cancel_hold,
    change_pickup,
    place_hold,
    resume_hold,
    suspend_hold,
)
from wenjin.patrons.queries import get_patron_by_card
from wenjin.web.deps import get_engine, get_lang
from wenjin.web.flash import redirect_with_message, render_with_flash
from wenjin.web.i18n import t
from wenjin.web.staff.auth import StaffActor, require_staff
from wenjin.web.staff.desk import _desk_url, desk_point, pickup_points

router = APIRouter()

HOLD_CHANGES = ("cancel", "suspend", "resume", "pickup")


@router.get("/desk/hold", name="staff_desk_hold")
def hold_search(
    request: Request,
    actor: StaffActor,
    card: Annotated[str, Query(max_length=64)],
    at: Annotated[str | None, Query(max_length=32)] = None,
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    require_staff(request, actor, PATRONS_READ)
    code = desk_point(request, actor, at)
    problem: str | None = None
    reader_name = ""
    found: list[Any] = []
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        try:
            reader_name = get_patron_by_card(uow.session, card).patron.name
        except WenjinError as error:
            problem = error.message(get_lang(request))
        if problem is None and q.strip():
            found = find_records_at_desk(uow.session, q)
        points = pickup_points(uow.session, actor)
    return render_with_flash(
        request,
        "staff/desk_hold.html",
        {
            "actor": actor,
            "active_nav": "desk",
            "at": code,
            "card": card.strip(),
            "reader_name": reader_name,
            "q": q,
            "found": found,
            "problem": problem,
            "points": points,
            "back": _desk_url(code, card.strip()),
        },
        status_code=404 if problem else 200,
    )


@router.post("/desk/holds", name="staff_hold_place")
def place(
    request: Request,
    actor: StaffActor,
    card: Annotated[str, Form(max_length=64)],
    pickup: Annotated[str, Form(max_length=32)],
    at: Annotated[str, Form(max_length=32)] = "",
    record: Annotated[str, Form(max_length=32)] = "",
    item: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    lang = get_lang(request)
    back = _desk_url(at or None, card)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        try:
            place_at = place_of(uow.session, pickup)
        except WenjinError as error:
            return redirect_with_message(back, "error", error.message(lang))
        require_staff(request, actor, HOLDS_PLACE, at=place_at)
        try:
            placed = place_hold(
                uow.session,
                card_number=card,
                pickup=pickup,
                record=None if item.strip() else record,
                barcode=item.strip() or None,
                actor=actor.username,
            )
            line = hold_line(uow.session, placed.hold_id)
        except WenjinError as error:
            return redirect_with_message(back, "error", error.message(lang))
        uow.commit()
    return redirect_with_message(
        back,
        "ok",
        t(
            "desk2.hold.placed",
            lang,
            title=line.title,
            pickup=line.pickup_name,
            position=line.queue_position or 1,
        ),
    )


@router.post("/desk/holds/{hold_id}/{change}", name="staff_hold_change")
def change_hold(
    request: Request,
    actor: StaffActor,
    hold_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    change: Annotated[str, Path(max_length=16)],
    card: Annotated[str, Form(max_length=64)] = "",
    at: Annotated[str, Form(max_length=32)] = "",
    until: Annotated[str, Form(max_length=10)] = "",
    pickup: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    lang = get_lang(request)
    back = _desk_url(at or None, card or None)
    if change not in HOLD_CHANGES:
        return redirect_with_message(back, "error", t("desk2.hold.unknown_change", lang))
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        session, who = uow.session, actor.username
        try:
            line = hold_line(session, hold_id)
        except WenjinError as error:
            return redirect_with_message(back, "error", error.message(lang))
        require_staff(request, actor, HOLDS_PLACE, at=place_of(session, line.pickup_code))
        try:
            if change == "cancel":
                cancel_hold(session, hold_id=hold_id, actor=who)
            elif change == "suspend":
                try:
                    day = date.fromisoformat(until.strip())
                except ValueError:
                    return redirect_with_message(
                        back, "error", t("desk2.hold.until_invalid", lang, value=until)
                    )
                suspend_hold(session, hold_id=hold_id, until=day, actor=who)
            elif change == "resume":
                resume_hold(session, hold_id=hold_id, actor=who)
            else:
                require_staff(request, actor, HOLDS_PLACE, at=place_of(session, pickup))
                change_pickup(session, hold_id=hold_id, pickup=pickup, actor=who)
        except WenjinError as error:
            return redirect_with_message(back, "error", error.message(lang))
        uow.commit()
    return redirect_with_message(back, "ok", t(f"desk2.hold.done.{change}", lang, title=line.title))
