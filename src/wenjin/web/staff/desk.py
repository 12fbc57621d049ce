"""The circulation desk (借还台): scan a reader's card, then items to lend; scan returns
and read the slip (hold here, send to X, back to the shelf); renew; take payments and
waive fees, with a receipt to print.

Keyboard and barcode-scanner first: every form is one field and Enter, each page puts
the focus back in the scan field (``autofocus``), and a refusal is a red notice with
its reason in words (``role="alert"``), as the desk reads it out to the reader. The
desk works at one service point: the account's own, or for a network-wide account the
one chosen (``?at=``, remembered in a cookie). Every write goes through the same
service as ``wenjin circ`` and the REST API, with the same permission checks, and logs
the signed-in account.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from wenjin.accounts.queries import place_of
from wenjin.accounts.rules import (
    CIRCULATION_LEND,
    FEES_COLLECT,
    FEES_WAIVE,
    HOLDS_PLACE,
    PATRONS_READ,
    PATRONS_READ_PERSONAL,
    Actor,
    may,
)
from wenjin.circulation.queries import loans_of_patron
from wenjin.circulation.services import checkin, checkout, renew, renew_all
from wenjin.db.uow import UnitOfWork
from wenjin.errors import WenjinError
from wenjin.fees.models import Payment
from wenjin.fees.queries import fee_lines, outstanding_fen, payment_line
from wenjin.fees.rules import parse_amount_fen
from wenjin.fees.services import pay_fees, waive_fee
from wenjin.fees.states import PaymentMethod
from wenjin.holds.queries import list_holds
from wenjin.holds.states import HoldStatus
from wenjin.network.models import ServicePoint
from wenjin.network.queries import get_point_by_code
from wenjin.patrons.queries import get_patron_by_card, network_today, patron_summary
from wenjin.web.deps import get_engine, get_lang
from wenjin.web.flash import redirect_with_message, render_with_flash
from wenjin.web.i18n import t
from wenjin.web.staff.auth import StaffActor, require_staff

router = APIRouter()

DESK_POINT_COOKIE = "wenjin_desk_point"


def desk_point(request: Request, actor: Actor, asked: str | None) -> str | None:
    """Where this desk works: ``?at=`` if given, else the remembered one, else the account's
    own point; None for a network-wide account that has not chosen yet."""
    code = (asked or request.cookies.get(DESK_POINT_COOKIE) or "").strip().upper()
    return code or actor.scope_point_code


def _lending_points(session: Session, actor: Actor) -> list[tuple[str, str]]:
    rows = session.execute(
        select(ServicePoint.code, ServicePoint.name)
        .where(ServicePoint.lends.is_(True), ServicePoint.active.is_(True))
        .order_by(ServicePoint.sort_order, ServicePoint.code)
    ).all()
    return [
        (code, name) for code, name in rows if may(actor, CIRCULATION_LEND, place_of(session, code))
    ]


def pickup_points(session: Session, actor: Actor) -> list[tuple[str, str]]:
    """(code, name) of the points where this account may place a hold for pickup."""
    rows = session.execute(
        select(ServicePoint.code, ServicePoint.name)
        .where(ServicePoint.is_pickup_point.is_(True), ServicePoint.active.is_(True))
        .order_by(ServicePoint.sort_order, ServicePoint.code)
    ).all()
    return [(code, name) for code, name in rows if may(actor, HOLDS_PLACE, place_of(session, code))]


def _desk_url(at: str | None, card: str | None = None, page: str = "/staff/desk") -> str:
    params = {k: v for k, v in (("at", at), ("card", card)) if v}
    return f"{page}?{urlencode(params)}" if params else page


def _reader_panel(session: Session, actor: Actor, card: str) -> dict[str, Any]:
    found = get_patron_by_card(session, card)
    patron = found.patron
    today = network_today()
    summary = patron_summary(patron, card=found.card, today=today)
    home_place = place_of(session, summary.home["code"])
    ready = [
        hold for hold in list_holds(session, card_number=card) if hold.status is HoldStatus.READY
    ]
    return {
        "summary": summary,
        "personal": may(actor, PATRONS_READ_PERSONAL, home_place),
        "phone": patron.phone if may(actor, PATRONS_READ_PERSONAL, home_place) else None,
        "loans": loans_of_patron(session, patron.id, today=today),
        "fees": fee_lines(session, patron.id, open_only=True),
        "owed": outstanding_fen(session, patron.id),
        "ready": ready,
        "holds": list_holds(session, card_number=card),  # desk2: the reader's holds
        "pickups": pickup_points(session, actor),
    }


@router.get("/desk", name="staff_desk")
def desk(
    request: Request,
    actor: StaffActor,
    at: Annotated[str | None, Query(max_length=32)] = None,
    card: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    code = desk_point(request, actor, at)
    panel: dict[str, Any] | None = None
    problem: str | None = None
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        points = _lending_points(uow.session, actor)
        if code is not None:
            require_staff(request, actor, CIRCULATION_LEND, at=place_of(uow.session, code))
        if card and card.strip():
            require_staff(request, actor, PATRONS_READ)
            try:
                panel = _reader_panel(uow.session, actor, card.strip())
            except WenjinError as error:
                problem = error.message(get_lang(request))
    response = render_with_flash(
        request,
        "staff/desk.html",
        {
            "actor": actor,
            "active_nav": "desk",
            "at": code,
            "points": points,
            "card": (card or "").strip(),
            "panel": panel,
            "problem": problem,
            "methods": list(PaymentMethod),
        },
    )
    if at and code:
        response.set_cookie(DESK_POINT_COOKIE, code, path="/staff", httponly=True, samesite="lax")
    return response


def _refusal(request: Request, error: WenjinError, target: str) -> Response:
    return redirect_with_message(target, "error", error.message(get_lang(request)))


def _lend_place(request: Request, session: Session, actor: Actor, at: str) -> None:
    require_staff(request, actor, CIRCULATION_LEND, at=place_of(session, at))


@router.post("/desk/checkout", name="staff_checkout")
def lend(
    request: Request,
    actor: StaffActor,
    at: Annotated[str, Form(max_length=32)],
    card: Annotated[str, Form(max_length=64)],
    barcode: Annotated[str, Form(max_length=64)],
) -> Response:
    back = _desk_url(at, card)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        _lend_place(request, uow.session, actor, at)
        try:
            result = checkout(
                uow.session, at=at, card_number=card, barcode=barcode, actor=actor.username
            )
        except WenjinError as error:
            return _refusal(request, error, back)
        uow.commit()
    return redirect_with_message(
        back,
        "ok",
        t(
            "desk.lent",
            get_lang(request),
            title=result.title or result.barcode,
            barcode=result.barcode,
            due=result.due_on.isoformat(),
        ),
    )


@router.post("/desk/checkin", name="staff_checkin")
def take_back(
    request: Request,
    actor: StaffActor,
    at: Annotated[str, Form(max_length=32)],
    barcode: Annotated[str, Form(max_length=64)],
    card: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    back = _desk_url(at, card or None)
    lang = get_lang(request)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        _lend_place(request, uow.session, actor, at)
        try:
            result = checkin(uow.session, at=at, barcode=barcode, actor=actor.username)
        except WenjinError as error:
            return _refusal(request, error, back)
        uow.commit()
    slip = result.slip.en if lang == "en" else result.slip.zh
    text = t("desk.returned", lang, title=result.title or result.barcode, barcode=result.barcode)
    if result.fine_fen:
        text += " " + t("desk.fine_charged", lang, amount=f"{result.fine_fen / 100:.2f}")
    return redirect_with_message(back, "ok", f"{text} {slip}")


@router.post("/desk/renew", name="staff_renew")
def renew_loan(
    request: Request,
    actor: StaffActor,
    at: Annotated[str, Form(max_length=32)],
    card: Annotated[str, Form(max_length=64)],
    barcode: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    back = _desk_url(at, card)
    lang = get_lang(request)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        _lend_place(request, uow.session, actor, at)
        if not barcode.strip():
            outcome = renew_all(uow.session, at=at, card_number=card, actor=actor.username)
            uow.commit()
            text = t(
                "desk.renewed_all",
                lang,
                renewed=len(outcome.renewed),
                refused=len(outcome.refused),
            )
            for refusal in outcome.refused:
                text += f" {refusal.title or refusal.barcode}：{refusal.error.message(lang)}"
            return redirect_with_message(back, "error" if outcome.refused else "ok", text)
        try:
            result = renew(uow.session, at=at, barcode=barcode, actor=actor.username)
        except WenjinError as error:
            return _refusal(request, error, back)
        uow.commit()
    return redirect_with_message(
        back,
        "ok",
        t(
            "desk.renewed",
            lang,
            title=result.title or result.barcode,
            due=result.due_on.isoformat(),
        ),
    )


@router.post("/desk/pay", name="staff_pay")
def take_payment(
    request: Request,
    actor: StaffActor,
    at: Annotated[str, Form(max_length=32)],
    card: Annotated[str, Form(max_length=64)],
    amount: Annotated[str, Form(max_length=32)],
    method: Annotated[str, Form(max_length=16)] = PaymentMethod.CASH.value,
) -> Response:
    back = _desk_url(at, card)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        require_staff(request, actor, FEES_COLLECT, at=place_of(uow.session, at))
        try:
            patron = get_patron_by_card(uow.session, card).patron
            payment = pay_fees(
                uow.session,
                patron=patron,
                amount_fen=parse_amount_fen(amount),
                method=method,
                point=get_point_by_code(uow.session, at),
                actor=actor.username,
            )
        except WenjinError as error:
            return _refusal(request, error, back)
        receipt = payment.receipt_number
        uow.commit()
    return redirect_with_message(
        request.app.url_path_for("staff_receipt", receipt=receipt)
        + f"?{urlencode({'at': at, 'card': card})}",
        "ok",
        t("desk.paid", get_lang(request), amount=amount, receipt=receipt),
    )


@router.post("/desk/waive", name="staff_waive")
def waive(
    request: Request,
    actor: StaffActor,
    at: Annotated[str, Form(max_length=32)],
    card: Annotated[str, Form(max_length=64)],
    fee_id: Annotated[int, Form()],
    reason: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    back = _desk_url(at, card)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        require_staff(request, actor, FEES_WAIVE, at=place_of(uow.session, at))
        try:
            waive_fee(
                uow.session,
                fee=fee_id,
                reason=reason,
                actor=actor.username,
                point=get_point_by_code(uow.session, at),
            )
        except WenjinError as error:
            return _refusal(request, error, back)
        uow.commit()
    return redirect_with_message(back, "ok", t("desk.waived", get_lang(request)))


@router.get("/receipts/{receipt}", name="staff_receipt")
def receipt_page(
    request: Request,
    actor: StaffActor,
    receipt: str,
    at: Annotated[str | None, Query(max_length=32)] = None,
    card: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        payment = uow.session.scalars(
            select(Payment).where(Payment.receipt_number == receipt)
        ).one_or_none()
        if payment is None:
            return render_with_flash(
                request,
                "staff/receipt.html",
                {"actor": actor, "line": None, "receipt": receipt, "back": _desk_url(at, card)},
                status_code=404,
            )
        require_staff(request, actor, FEES_COLLECT, at=place_of(uow.session, payment.point.code))
        line = payment_line(payment)
        patron_name = payment.patron.name
        point_name = payment.point.name
        owed = outstanding_fen(uow.session, payment.patron_id)
    return render_with_flash(
        request,
        "staff/receipt.html",
        {
            "actor": actor,
            "line": line,
            "receipt": receipt,
            "patron_name": patron_name,
            "point_name": point_name,
            "owed": owed,
            "back": _desk_url(at, card),
        },
    )
