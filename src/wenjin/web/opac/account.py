"""The reader's own pages (我的图书馆): sign in with card and PIN, loans and renewals,
holds (place, change pickup, cancel), fines, loan history and the switch that keeps it.

Every write is a form that posts (CSRF-checked by the router), goes through the same
service as the desk and the kiosk, and redirects back with a one-line message
(post/redirect/get), so that a reload never renews twice and no page needs JavaScript.
A reader may act only on their own loans and holds. The OPAC acts "at" the reader's
home point (所属馆): the circulation log records it there, by ``opac:<card>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from wenjin.catalog.models import Item
from wenjin.circulation.models import Loan
from wenjin.circulation.queries import loans_of_patron
from wenjin.circulation.services import renew, renew_all
from wenjin.db.uow import UnitOfWork
from wenjin.errors import WenjinError
from wenjin.fees.queries import fee_lines, outstanding_fen
from wenjin.holds.models import Hold
from wenjin.holds.queries import list_holds
from wenjin.holds.services import cancel_hold, change_pickup, place_hold
from wenjin.network.models import ServicePoint
from wenjin.patrons.models import Patron
from wenjin.patrons.queries import network_today
from wenjin.patrons.services import set_keep_history, sign_in_reader
from wenjin.web.deps import get_engine, get_lang
from wenjin.web.flash import redirect_with_message, render_with_flash
from wenjin.web.i18n import t
from wenjin.web.login_limits import WAIT_MINUTES, client_address, sign_in_limiter
from wenjin.web.sessions import sign_in, sign_out, signed_in
from wenjin.web.templating import render

router = APIRouter()

ACCOUNT_HOME = "/account"
HISTORY_SHOWN = 100


@dataclass(frozen=True)
class Reader:
    """The signed-in reader: who, with which card, belonging to which point."""

    patron_id: int
    name: str
    card_number: str
    home_code: str
    keep_history: bool

    @property
    def actor(self) -> str:
        return f"opac:{self.card_number}"


def _safe_next(target: str | None) -> str:
    if not target or not target.startswith("/") or target.startswith("//"):
        return ACCOUNT_HOME
    parts = urlsplit(target)
    return ACCOUNT_HOME if parts.scheme or parts.netloc else target


def _load_reader(session: Session, patron_id: int) -> Reader | None:
    patron = session.get(Patron, patron_id)
    if patron is None:
        return None
    card = next((c.number for c in patron.cards if c.status.value == "active"), None)
    if card is None:
        return None
    home = session.get(ServicePoint, patron.home_point_id)
    assert home is not None
    return Reader(patron.id, patron.name, card, home.code, patron.keep_history)


def signed_in_reader(request: Request) -> Reader | None:
    """The signed-in reader, if any (pages that show more to a reader, but not only to one)."""
    found = signed_in(request, kind="reader")
    if found is None or found.patron_id is None:
        return None
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        return _load_reader(uow.session, found.patron_id)


def current_reader(request: Request) -> Reader:
    """The signed-in reader, or a redirect to the sign-in page that comes back here."""
    reader = signed_in_reader(request)
    if reader is not None:
        return reader
    target = request.url.path if request.method == "GET" else ACCOUNT_HOME
    raise StarletteHTTPException(
        303,
        headers={"Location": f"{request.app.url_path_for('reader_login')}?next={quote(target)}"},
    )


ReaderDep = Annotated[Reader, Depends(current_reader)]


# -- signing in and out ---------------------------------------------------------------


@router.get("/login", name="reader_login")
def login_page(request: Request, next: str | None = None) -> Response:
    return render(
        request,
        "opac/login.html",
        {"next": _safe_next(next), "error": None, "card": "", "active_nav": "account"},
    )


@router.post("/login", name="reader_login_submit")
def login(
    request: Request,
    card: Annotated[str, Form(max_length=64)] = "",
    pin: Annotated[str, Form(max_length=64)] = "",
    next: Annotated[str, Form(max_length=2000)] = ACCOUNT_HOME,
) -> Response:
    target = _safe_next(next)
    limiter, address = sign_in_limiter(request), client_address(request)
    if limiter.refused("reader", address):
        return render(
            request,
            "opac/login.html",
            {
                "next": target,
                "error": t("signin.too_many", get_lang(request), minutes=WAIT_MINUTES),
                "card": card,
                "active_nav": "account",
            },
            status_code=429,
        )
    with UnitOfWork(get_engine(request)) as uow:
        outcome = sign_in_reader(uow.session, card_number=card, pin=pin)
        uow.commit()  # a refusal is kept too: the count of wrong PINs
    if outcome.patron_id is None:
        assert outcome.refusal is not None
        limiter.failed("reader", address)
        return render(
            request,
            "opac/login.html",
            {
                "next": target,
                "error": outcome.refusal.message(get_lang(request)),
                "card": card,
                "active_nav": "account",
            },
            status_code=401,
        )
    response = RedirectResponse(target, status_code=303)
    sign_in(request, response, kind="reader", patron_id=outcome.patron_id)
    return response


@router.post("/logout", name="reader_logout")
def logout(request: Request) -> Response:
    response = RedirectResponse(request.app.url_path_for("home"), status_code=303)
    sign_out(request, response, kind="reader")
    return response


# -- my account -----------------------------------------------------------------------


@router.get("/account", name="account")
def account(request: Request, reader: ReaderDep) -> Response:
    today = network_today()
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        session = uow.session
        loans = loans_of_patron(session, reader.patron_id, today=today)
        holds = list_holds(session, card_number=reader.card_number)
        fees = fee_lines(session, reader.patron_id, open_only=True)
        owed = outstanding_fen(session, reader.patron_id)
        history = (
            loans_of_patron(
                session, reader.patron_id, today=today, current_only=False, limit=HISTORY_SHOWN
            )
            if reader.keep_history
            else []
        )
        pickups = pickup_points(session)
    return render_with_flash(
        request,
        "opac/account.html",
        {
            "reader": reader,
            "loans": loans,
            "holds": holds,
            "fees": fees,
            "owed": owed,
            "history": [line for line in history if line.returned_at is not None],
            "pickups": pickups,
            "today": today,
            "active_nav": "account",
        },
    )


def pickup_points(session: Session) -> list[tuple[str, str, str | None]]:
    rows = session.execute(
        select(ServicePoint.code, ServicePoint.name, ServicePoint.name_en)
        .where(ServicePoint.is_pickup_point.is_(True), ServicePoint.active.is_(True))
        .order_by(ServicePoint.sort_order, ServicePoint.code)
    )
    return [(code, name, name_en) for code, name, name_en in rows]


def _done(request: Request, key: str, **params: Any) -> RedirectResponse:
    return redirect_with_message(ACCOUNT_HOME, "ok", t(key, get_lang(request), **params))


def _refused(request: Request, error: WenjinError, target: str = ACCOUNT_HOME) -> RedirectResponse:
    return redirect_with_message(target, "error", error.message(get_lang(request)))


def _not_yours(request: Request) -> RedirectResponse:
    return redirect_with_message(ACCOUNT_HOME, "error", t("account.not_yours", get_lang(request)))


@router.post("/account/renew", name="account_renew")
def renew_one(
    request: Request, reader: ReaderDep, barcode: Annotated[str, Form(max_length=64)]
) -> Response:
    with UnitOfWork(get_engine(request), actor=reader.actor) as uow:
        own = uow.session.scalar(
            select(Loan.id)
            .join(Item, Item.id == Loan.item_id)
            .where(Loan.patron_id == reader.patron_id, Loan.returned_at.is_(None))
            .where(Item.barcode == barcode.strip())
        )
        if own is None:
            return _not_yours(request)
        try:
            result = renew(uow.session, at=reader.home_code, barcode=barcode, actor=reader.actor)
        except WenjinError as error:
            return _refused(request, error)
        uow.commit()
    return _done(
        request,
        "account.renewed",
        title=result.title or result.barcode,
        due=result.due_on.isoformat(),
    )


@router.post("/account/renew-all", name="account_renew_all")
def renew_everything(request: Request, reader: ReaderDep) -> Response:
    with UnitOfWork(get_engine(request), actor=reader.actor) as uow:
        result = renew_all(
            uow.session, at=reader.home_code, card_number=reader.card_number, actor=reader.actor
        )
        uow.commit()
    lang = get_lang(request)
    text = t("account.renewed_all", lang, renewed=len(result.renewed), refused=len(result.refused))
    for refusal in result.refused:
        text += f" {refusal.title or refusal.barcode}：{refusal.error.message(lang)}"
    return redirect_with_message(ACCOUNT_HOME, "error" if result.refused else "ok", text)


def _own_hold(session: Session, reader: Reader, hold_id: int) -> bool:
    return session.scalar(select(Hold.patron_id).where(Hold.id == hold_id)) == reader.patron_id


@router.post("/account/holds/{hold_id}/cancel", name="account_cancel_hold")
def cancel(request: Request, reader: ReaderDep, hold_id: int) -> Response:
    with UnitOfWork(get_engine(request), actor=reader.actor) as uow:
        if not _own_hold(uow.session, reader, hold_id):
            return _not_yours(request)
        try:
            cancel_hold(uow.session, hold_id=hold_id, actor=reader.actor)
        except WenjinError as error:
            return _refused(request, error)
        uow.commit()
    return _done(request, "account.hold_cancelled")


@router.post("/account/holds/{hold_id}/pickup", name="account_change_pickup")
def move_pickup(
    request: Request,
    reader: ReaderDep,
    hold_id: int,
    pickup: Annotated[str, Form(max_length=32)],
) -> Response:
    with UnitOfWork(get_engine(request), actor=reader.actor) as uow:
        if not _own_hold(uow.session, reader, hold_id):
            return _not_yours(request)
        try:
            change_pickup(uow.session, hold_id=hold_id, pickup=pickup, actor=reader.actor)
        except WenjinError as error:
            return _refused(request, error)
        uow.commit()
    return _done(request, "account.pickup_changed", pickup=pickup)


@router.post("/account/history", name="account_history")
def keep_history(
    request: Request, reader: ReaderDep, keep: Annotated[str, Form(max_length=3)] = "no"
) -> Response:
    with UnitOfWork(get_engine(request), actor=reader.actor) as uow:
        patron = uow.session.get(Patron, reader.patron_id)
        assert patron is not None
        set_keep_history(uow.session, patron=patron, keep=keep == "yes")
        uow.commit()
    return _done(request, "account.history_on" if keep == "yes" else "account.history_off")


@router.post("/records/{record_id}/hold", name="place_hold")
def hold_this(
    request: Request,
    reader: ReaderDep,
    record_id: int,
    pickup: Annotated[str, Form(max_length=32)],
) -> Response:
    back = request.app.url_path_for("record", record_id=record_id)
    with UnitOfWork(get_engine(request), actor=reader.actor) as uow:
        try:
            placed = place_hold(
                uow.session,
                card_number=reader.card_number,
                pickup=pickup,
                record=record_id,
                actor=reader.actor,
            )
        except WenjinError as error:
            return _refused(request, error, target=back)
        uow.commit()
    return _done(
        request,
        "account.hold_placed",
        title=placed.title or "",
        pickup=placed.pickup_code,
        position=placed.queue_position,
    )
