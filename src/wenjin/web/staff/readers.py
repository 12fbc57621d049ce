"""Readers in the staff client (读者管理): find, register (ID number checked), block and
unblock, replace a lost card, change phone or category, see the loan history when the
reader keeps it and the account may see personal data.

The same services and permissions as ``wenjin patron`` and ``/api/v1/patrons``: finding
a reader needs ``patrons.read`` (readers borrow anywhere); changing one needs
``patrons.write`` at the reader's home point; the full phone number and the history need
``patrons.read_personal`` there.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from wenjin.accounts.queries import place_of_point
from wenjin.accounts.rules import (
    PATRONS_READ,
    PATRONS_READ_PERSONAL,
    PATRONS_WRITE,
    WHOLE_NETWORK,
    Actor,
    may,
)
from wenjin.circulation.queries import loans_of_patron
from wenjin.db.uow import UnitOfWork
from wenjin.errors import WenjinError
from wenjin.network.queries import get_point_by_code
from wenjin.patrons.queries import (
    find_patrons,
    get_patron_by_card,
    list_categories,
    network_today,
    patron_summary,
)
from wenjin.patrons.rules import deposit_required
from wenjin.patrons.services import (
    block_patron,
    ensure_default_categories,
    pay_deposit,
    register_patron,
    replace_card,
    unblock_patron,
    update_patron,
)
from wenjin.patrons.states import DepositMethod
from wenjin.web.deps import get_engine, get_lang
from wenjin.web.flash import redirect_with_message, render_with_flash
from wenjin.web.i18n import t
from wenjin.web.staff.auth import StaffActor, require_staff

router = APIRouter()

HISTORY_SHOWN = 200


def _reader_url(card: str) -> str:
    return f"/staff/readers/{quote(card)}"


@router.get("/readers", name="staff_readers")
def readers(
    request: Request, actor: StaffActor, q: Annotated[str, Query(max_length=100)] = ""
) -> Response:
    require_staff(request, actor, PATRONS_READ)
    found: list[Any] = []
    if q.strip():
        with UnitOfWork(get_engine(request), readonly=True) as uow:
            found = [patron_summary(p) for p in find_patrons(uow.session, q)]
    return render_with_flash(
        request,
        "staff/readers.html",
        {
            "actor": actor,
            "active_nav": "readers",
            "q": q,
            "found": found,
            "may_import": may(actor, PATRONS_WRITE, WHOLE_NETWORK),
        },
    )


def _categories(session: Session) -> list[tuple[str, str, str]]:
    """(code, name, English name) of the categories a reader may be given."""
    return [(c.code, c.name, c.name_en) for c in list_categories(session)]


def _form_context(session: Session, actor: Actor, values: dict[str, str]) -> dict[str, Any]:
    ensure_default_categories(session)
    return {
        "actor": actor,
        "active_nav": "readers",
        "categories": _categories(session),
        "deposit_methods": list(DepositMethod),
        "values": values,
    }


@router.get("/readers/new", name="staff_reader_new")
def new_reader(request: Request, actor: StaffActor) -> Response:
    require_staff(request, actor, PATRONS_WRITE, at=None)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        blank = dict.fromkeys(("card", "name", "id_number", "phone"), "")
        context = _form_context(
            uow.session,
            actor,
            {**blank, "home": actor.scope_point_code or "", "category": "ADULT"},
        )
        uow.commit()  # the default categories, the first time
    return render_with_flash(request, "staff/reader_new.html", {**context, "error": None})


@router.post("/readers/new", name="staff_reader_register")
def register(
    request: Request,
    actor: StaffActor,
    card: Annotated[str, Form(max_length=64)] = "",
    name: Annotated[str, Form(max_length=100)] = "",
    category: Annotated[str, Form(max_length=32)] = "",
    home: Annotated[str, Form(max_length=32)] = "",
    id_number: Annotated[str, Form(max_length=32)] = "",
    phone: Annotated[str, Form(max_length=32)] = "",
    pin: Annotated[str, Form(max_length=32)] = "",
    deposit: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    values = {
        "card": card,
        "name": name,
        "category": category,
        "home": home,
        "id_number": "",  # never echoed back into the page
        "phone": phone,
    }
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        try:
            point = get_point_by_code(uow.session, home)
            require_staff(request, actor, PATRONS_WRITE, at=place_of_point(uow.session, point))
            ensure_default_categories(uow.session)
            patron = register_patron(
                uow.session,
                card_number=card,
                name=name,
                category=category,
                home_point=point,
                id_number=id_number or None,
                phone=phone or None,
                pin=pin or None,
            )
            if deposit and deposit_required(patron.category, patron, network_today()):
                pay_deposit(uow.session, patron=patron, method=deposit, by=actor.username)
            number = patron.cards[0].number
        except WenjinError as error:
            context = _form_context(uow.session, actor, values)
            return render_with_flash(
                request,
                "staff/reader_new.html",
                {**context, "error": error.message(get_lang(request))},
                status_code=422,
            )
        uow.commit()
    return redirect_with_message(
        _reader_url(number),
        "ok",
        t("readers.registered", get_lang(request), name=name, card=number),
    )


@router.get("/readers/{card}", name="staff_reader")
def reader(request: Request, actor: StaffActor, card: str) -> Response:
    require_staff(request, actor, PATRONS_READ)
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        found = get_patron_by_card(uow.session, card)
        patron = found.patron
        home = place_of_point(uow.session, patron.home_point)
        personal = may(actor, PATRONS_READ_PERSONAL, home)
        today = network_today()
        summary = patron_summary(patron, card=found.card, today=today)
        history = (
            loans_of_patron(
                uow.session, patron.id, today=today, current_only=False, limit=HISTORY_SHOWN
            )
            if personal and patron.keep_history
            else []
        )
        categories = _categories(uow.session)
        context = {
            "actor": actor,
            "active_nav": "readers",
            "s": summary,
            "phone": patron.phone if personal else None,
            "personal": personal,
            "may_write": may(actor, PATRONS_WRITE, home),
            "loans": loans_of_patron(uow.session, patron.id, today=today),
            "history": history,
            "categories": categories,
        }
    return render_with_flash(request, "staff/reader.html", context)


def _change(request: Request, actor: Actor, card: str, action: str, **form: str) -> Response:
    lang = get_lang(request)
    back = _reader_url(card)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        found = get_patron_by_card(uow.session, card)
        patron = found.patron
        require_staff(
            request, actor, PATRONS_WRITE, at=place_of_point(uow.session, patron.home_point)
        )
        try:
            if action == "block":
                block_patron(uow.session, patron=patron, reason=form["reason"], by=actor.username)
            elif action == "unblock":
                unblock_patron(uow.session, patron=patron, reason=form["reason"], by=actor.username)
            elif action == "replace":
                new = replace_card(
                    uow.session,
                    patron=patron,
                    new_card_number=form["new_card"],
                    reason=form["why"] or "lost",
                )
                back = _reader_url(new.number)
            elif action == "edit":
                update_patron(
                    uow.session,
                    patron=patron,
                    phone=form["phone"] or None,
                    category=form["category"] or None,
                )
        except WenjinError as error:
            return redirect_with_message(_reader_url(card), "error", error.message(lang))
        uow.commit()
    return redirect_with_message(back, "ok", t(f"readers.done.{action}", lang))


@router.post("/readers/{card}/block", name="staff_reader_block")
def block(
    request: Request,
    actor: StaffActor,
    card: str,
    reason: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    return _change(request, actor, card, "block", reason=reason)


@router.post("/readers/{card}/unblock", name="staff_reader_unblock")
def unblock(
    request: Request,
    actor: StaffActor,
    card: str,
    reason: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    return _change(request, actor, card, "unblock", reason=reason)


@router.post("/readers/{card}/replace-card", name="staff_reader_replace_card")
def replace(
    request: Request,
    actor: StaffActor,
    card: str,
    new_card: Annotated[str, Form(max_length=64)],
    why: Annotated[str, Form(max_length=16)] = "lost",
) -> Response:
    return _change(request, actor, card, "replace", new_card=new_card, why=why)


@router.post("/readers/{card}/edit", name="staff_reader_edit")
def edit(
    request: Request,
    actor: StaffActor,
    card: str,
    phone: Annotated[str, Form(max_length=32)] = "",
    category: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    return _change(request, actor, card, "edit", phone=phone, category=category)
