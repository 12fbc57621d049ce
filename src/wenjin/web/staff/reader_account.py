"""A reader's card and account at the desk (读者账户): report the card lost (挂失), renew the
card (续期), set or reset the PIN with the reader present, record the 信易阅 credit
rating, take, waive or refund the deposit, keep the loan history or not, close the account (注销, deposit refunded) and reopen
it with a new card.

The same services as ``wenjin patron report-lost|renew|set-pin|credit|pay-deposit|reopen``
and ``/api/v1/patrons/{card}/…``, with the same permission: ``patrons.write`` at the
reader's home point. A PIN is never shown, echoed into a page, or logged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from wenjin.accounts.queries import place_of_point
from wenjin.accounts.rules import PATRONS_WRITE
from wenjin.circulation.queries import ReaderObligations
from wenjin.db.uow import UnitOfWork
from wenjin.errors import WenjinError
from wenjin.patrons.errors import InvalidPatronField
from wenjin.patrons.queries import CardLookup, get_patron_by_card
from wenjin.patrons.services import (
    change_pin,
    close_account,
    pay_deposit,
    record_credit_rating,
    refund_deposit,
    renew_membership,
    reopen_account,
    report_card_lost,
    set_keep_history,
    waive_deposit,
)
from wenjin.web.deps import get_engine, get_lang
from wenjin.web.flash import redirect_with_message
from wenjin.web.i18n import t
from wenjin.web.staff.auth import StaffActor, require_staff

router = APIRouter()


def _reader_url(card: str) -> str:
    return f"/staff/readers/{quote(card, safe='')}"


def _date(raw: str, zh: str, en: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise InvalidPatronField(
            zh, en, raw, "请写作 YYYY-MM-DD", "write it as YYYY-MM-DD"
        ) from None


Change = Callable[[Session, CardLookup], tuple[str, dict[str, str]]]


def _act(request: Request, actor: StaffActor, card: str, change: Change) -> Response:
    """Find the reader, check ``patrons.write`` at their home point, apply ``change`` (which
    returns the message key, its parameters and where to go next) and commit."""
    lang = get_lang(request)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        try:
            found = get_patron_by_card(uow.session, card)
        except WenjinError as error:
            return redirect_with_message(_reader_url(card), "error", error.message(lang))
        require_staff(
            request, actor, PATRONS_WRITE, at=place_of_point(uow.session, found.patron.home_point)
        )
        try:
            key, params = change(uow.session, found)
        except WenjinError as error:
            return redirect_with_message(_reader_url(card), "error", error.message(lang))
        target = params.pop("card", card)
        uow.commit()
    return redirect_with_message(_reader_url(target), "ok", t(key, lang, **params))


def _yuan(fen: int) -> str:
    return f"{fen / 100:.2f}"


@router.post("/readers/{card}/report-lost", name="staff_reader_report_lost")
def report_lost(request: Request, actor: StaffActor, card: str) -> Response:
    def change(session: Session, found: CardLookup) -> tuple[str, dict[str, str]]:
        lost = report_card_lost(session, patron=found.patron)
        return "desk2.reader.card_lost", {"card": card, "number": lost.number}

    return _act(request, actor, card, change)


@router.post("/readers/{card}/renew-card", name="staff_reader_renew_card")
def renew_card(
    request: Request,
    actor: StaffActor,
    card: str,
    years: Annotated[str, Form(max_length=4)] = "",
) -> Response:
    def change(session: Session, found: CardLookup) -> tuple[str, dict[str, str]]:
        count = int(years) if years.strip().isdigit() else None
        until = renew_membership(session, patron=found.patron, years=count)
        return "desk2.reader.renewed", {"until": until.isoformat()}

    return _act(request, actor, card, change)


@router.post("/readers/{card}/pin", name="staff_reader_pin")
def set_pin(
    request: Request,
    actor: StaffActor,
    card: str,
    pin: Annotated[str, Form(max_length=32)] = "",
    pin_again: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    def change(session: Session, found: CardLookup) -> tuple[str, dict[str, str]]:
        if pin != pin_again:
            raise InvalidPatronField(
                "密码", "PIN", "******", "两次输入不一致", "the two entries differ"
            )
        change_pin(session, patron=found.patron, new_pin=pin, current_pin=None)
        return "desk2.reader.pin_set", {}

    return _act(request, actor, card, change)


@router.post("/readers/{card}/credit", name="staff_reader_credit")
def credit(
    request: Request,
    actor: StaffActor,
    card: str,
    source: Annotated[str, Form(max_length=200)] = "",
    verified_on: Annotated[str, Form(max_length=10)] = "",
    expires_on: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    def change(session: Session, found: CardLookup) -> tuple[str, dict[str, str]]:
        until = _date(expires_on, "有效期至", "valid until")
        record_credit_rating(
            session,
            patron=found.patron,
            source=source,
            verified_on=_date(verified_on, "核验日期", "verified on"),
            expires_on=until,
        )
        return "desk2.reader.credit_set", {"until": until.isoformat()}

    return _act(request, actor, card, change)


@router.post("/readers/{card}/deposit", name="staff_reader_deposit")
def deposit(
    request: Request,
    actor: StaffActor,
    card: str,
    method: Annotated[str, Form(max_length=16)] = "cash",
) -> Response:
    def change(session: Session, found: CardLookup) -> tuple[str, dict[str, str]]:
        paid = pay_deposit(session, patron=found.patron, method=method, by=actor.username)
        return "desk2.reader.deposit_paid", {"amount": _yuan(paid.amount_fen)}

    return _act(request, actor, card, change)


@router.post("/readers/{card}/deposit-waive", name="staff_reader_deposit_waive")
def deposit_waive(
    request: Request,
    actor: StaffActor,
    card: str,
    reason: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    def change(session: Session, found: CardLookup) -> tuple[str, dict[str, str]]:
        waive_deposit(session, patron=found.patron, reason=reason, by=actor.username)
        return "desk2.reader.deposit_waived", {}

    return _act(request, actor, card, change)


@router.post("/readers/{card}/history", name="staff_reader_history")
def keep_history(
    request: Request,
    actor: StaffActor,
    card: str,
    keep: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    """阅读隐私: the reader asks to keep (or stop keeping) their own loan history."""

    def change(session: Session, found: CardLookup) -> tuple[str, dict[str, str]]:
        on = keep == "on"
        set_keep_history(session, patron=found.patron, keep=on)
        return ("desk2.reader.history_on" if on else "desk2.reader.history_off"), {}

    return _act(request, actor, card, change)


@router.post("/readers/{card}/deposit-refund", name="staff_reader_deposit_refund")
def deposit_refund(
    request: Request,
    actor: StaffActor,
    card: str,
    method: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    def change(session: Session, found: CardLookup) -> tuple[str, dict[str, str]]:
        fen = refund_deposit(session, patron=found.patron, method=method or None, by=actor.username)
        return "desk2.reader.deposit_refunded", {"amount": _yuan(fen)}

    return _act(request, actor, card, change)


@router.post("/readers/{card}/close", name="staff_reader_close")
def close(
    request: Request,
    actor: StaffActor,
    card: str,
    method: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    def change(session: Session, found: CardLookup) -> tuple[str, dict[str, str]]:
        fen = close_account(
            session,
            patron=found.patron,
            obligations=ReaderObligations(),
            refund_method=method or None,
            by=actor.username,
        )
        return "desk2.reader.closed", {"amount": _yuan(fen)}

    return _act(request, actor, card, change)


@router.post("/readers/{card}/reopen", name="staff_reader_reopen")
def reopen(
    request: Request,
    actor: StaffActor,
    card: str,
    new_card: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    def change(session: Session, found: CardLookup) -> tuple[str, dict[str, str]]:
        new = reopen_account(session, patron=found.patron, new_card_number=new_card)
        return "desk2.reader.reopened", {"card": new.number, "number": new.number}

    return _act(request, actor, card, change)
