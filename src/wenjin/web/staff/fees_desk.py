"""Fees beyond paying and waiving (收费管理): charge a damaged item, a replacement card or
another fee by hand; cancel a charge made in error (what was paid is refunded); the day's
takings per point (收费日报); the amnesty windows (特别还书日) — list, add, end.

The same services as ``wenjin fees charge|cancel|takings|amnesty`` and ``/api/v1/fees``,
with the same permissions: ``fees.collect`` to charge at the desk's point, ``fees.waive``
to cancel there and to manage amnesty windows, ``fees.read`` for the takings.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from wenjin.accounts.queries import place_of, place_of_point
from wenjin.accounts.rules import (
    FEES_COLLECT,
    FEES_READ,
    FEES_WAIVE,
    WHOLE_NETWORK,
    Actor,
    Place,
    may,
)
from wenjin.catalog.queries import get_item_by_barcode
from wenjin.db.uow import UnitOfWork
from wenjin.errors import WenjinError
from wenjin.fees.queries import (
    amnesty_effects,
    daily_takings,
    get_amnesty_window,
    list_amnesty_windows,
)
from wenjin.fees.rules import MANUAL_CHARGE_KINDS, parse_amount_fen
from wenjin.fees.services import add_amnesty_window, cancel_fee, charge_fee, end_amnesty_window
from wenjin.network.models import ServicePoint
from wenjin.network.queries import descendant_ids, get_point_by_code
from wenjin.patrons.queries import get_patron_by_card, network_today
from wenjin.web.deps import get_engine, get_lang
from wenjin.web.flash import redirect_with_message, render_with_flash
from wenjin.web.i18n import t
from wenjin.web.staff.auth import StaffActor, require_staff
from wenjin.web.staff.desk import _desk_url

router = APIRouter()

AMNESTY_URL = "/staff/fees/amnesty"


@router.post("/desk/charge", name="staff_fee_charge")
def charge(
    request: Request,
    actor: StaffActor,
    at: Annotated[str, Form(max_length=32)],
    card: Annotated[str, Form(max_length=64)],
    kind: Annotated[str, Form(max_length=32)],
    amount: Annotated[str, Form(max_length=32)],
    item: Annotated[str, Form(max_length=64)] = "",
    note: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    lang = get_lang(request)
    back = _desk_url(at, card)
    if kind not in {k.value for k in MANUAL_CHARGE_KINDS}:
        return redirect_with_message(back, "error", t("desk2.fee.kind_invalid", lang))
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        require_staff(request, actor, FEES_COLLECT, at=place_of(uow.session, at))
        try:
            fee = charge_fee(
                uow.session,
                patron=get_patron_by_card(uow.session, card).patron,
                kind=kind,
                amount_fen=parse_amount_fen(amount),
                point=get_point_by_code(uow.session, at),
                actor=actor.username,
                item_id=get_item_by_barcode(uow.session, item).id if item.strip() else None,
                note=note or None,
            )
        except WenjinError as error:
            return redirect_with_message(back, "error", error.message(lang))
        text = t(
            "desk2.fee.charged",
            lang,
            kind=fee.kind.label_en if lang == "en" else fee.kind.label_zh,
            amount=f"{fee.amount_fen / 100:.2f}",
        )
        uow.commit()
    return redirect_with_message(back, "ok", text)


@router.post("/desk/cancel-fee", name="staff_fee_cancel")
def cancel(
    request: Request,
    actor: StaffActor,
    at: Annotated[str, Form(max_length=32)],
    card: Annotated[str, Form(max_length=64)],
    fee_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
    reason: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    lang = get_lang(request)
    back = _desk_url(at, card)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        require_staff(request, actor, FEES_WAIVE, at=place_of(uow.session, at))
        try:
            refund = cancel_fee(
                uow.session,
                fee=fee_id,
                reason=reason,
                point=get_point_by_code(uow.session, at),
                actor=actor.username,
            )
        except WenjinError as error:
            return redirect_with_message(back, "error", error.message(lang))
        uow.commit()
    if refund is None:
        return redirect_with_message(back, "ok", t("desk2.fee.cancelled", lang))
    return redirect_with_message(
        back,
        "ok",
        t(
            "desk2.fee.refunded",
            lang,
            amount=f"{refund.amount_fen / 100:.2f}",
            receipt=refund.receipt_number,
        ),
    )


def _points(session: Session) -> list[tuple[str, str]]:
    rows = session.execute(
        select(ServicePoint.code, ServicePoint.name)
        .where(ServicePoint.active.is_(True))
        .order_by(ServicePoint.sort_order, ServicePoint.code)
    ).all()
    return [(code, name) for code, name in rows]


@router.get("/fees/takings", name="staff_takings")
def takings(
    request: Request,
    actor: StaffActor,
    at: Annotated[str, Query(max_length=32)] = "",
    day: Annotated[str, Query(max_length=10)] = "",
    subtree: Annotated[bool, Query()] = False,
) -> Response:
    lang = get_lang(request)
    code = at.strip().upper() or (actor.scope_point_code or "")
    problem: str | None = None
    rows: list[Any] = []
    try:
        the_day = date.fromisoformat(day) if day.strip() else network_today()
    except ValueError:
        the_day = network_today()
        problem = t("desk2.takings.day_invalid", lang, value=day)
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        point_ids: set[int] | None = None
        if code:
            try:
                point = get_point_by_code(uow.session, code)
            except WenjinError as error:
                problem = error.message(lang)
                point = None
            if point is not None:
                require_staff(request, actor, FEES_READ, at=place_of_point(uow.session, point))
                point_ids = descendant_ids(uow.session, point.id) if subtree else {point.id}
        else:
            require_staff(request, actor, FEES_READ, at=WHOLE_NETWORK)
        if problem is None:
            rows = daily_takings(uow.session, day=the_day, point_ids=point_ids)
        points = _points(uow.session)
    return render_with_flash(
        request,
        "staff/takings.html",
        {
            "actor": actor,
            "active_nav": "more",
            "at": code,
            "day": the_day,
            "subtree": subtree,
            "rows": rows,
            "points": points,
            "problem": problem,
            "total": {
                "taken_fen": sum(r.taken_fen for r in rows),
                "refunded_fen": sum(r.refunded_fen for r in rows),
                "net_fen": sum(r.net_fen for r in rows),
                "count": sum(r.payments + r.refunds for r in rows),
            },
        },
        status_code=422 if problem else 200,
    )


def _window_places(session: Session, codes: list[str]) -> list[Place]:
    return [place_of(session, code) for code in codes] or [WHOLE_NETWORK]


@router.get("/fees/amnesty", name="staff_amnesty")
def amnesty(request: Request, actor: StaffActor) -> Response:
    require_staff(request, actor, FEES_WAIVE)
    with UnitOfWork(get_engine(request), readonly=True) as uow:
        windows = list_amnesty_windows(uow.session)
        effects = amnesty_effects(uow.session, [w.id for w in windows])
        shown = [
            {
                "id": w.id,
                "name": w.name,
                "starts_on": w.starts_on,
                "ends_on": w.ends_on,
                "active": w.active,
                "points": [p.name for p in w.points],
                "created_by": w.created_by,
                "fines": effects[w.id].fines,
                "waived_fen": effects[w.id].waived_fen,
                "may_end": w.active and _may_all(actor, uow.session, [p.code for p in w.points]),
            }
            for w in windows
        ]
        points = _points(uow.session)
    return render_with_flash(
        request,
        "staff/amnesty.html",
        {
            "actor": actor,
            "active_nav": "more",
            "windows": shown,
            "points": points,
            "today": network_today(),
        },
    )


def _may_all(actor: Actor, session: Session, codes: list[str]) -> bool:
    return all(may(actor, FEES_WAIVE, place) for place in _window_places(session, codes))


@router.post("/fees/amnesty", name="staff_amnesty_add")
def amnesty_add(
    request: Request,
    actor: StaffActor,
    name: Annotated[str, Form(max_length=200)] = "",
    starts_on: Annotated[str, Form(max_length=10)] = "",
    ends_on: Annotated[str, Form(max_length=10)] = "",
    points: Annotated[list[str] | None, Form(max_length=32)] = None,
) -> Response:
    lang = get_lang(request)
    codes = [code for code in (points or []) if code.strip()]
    try:
        first, last = date.fromisoformat(starts_on), date.fromisoformat(ends_on)
    except ValueError:
        return redirect_with_message(AMNESTY_URL, "error", t("amnesty.dates_invalid", lang))
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        try:
            places = _window_places(uow.session, codes)
        except WenjinError as error:
            return redirect_with_message(AMNESTY_URL, "error", error.message(lang))
        for place in places:
            require_staff(request, actor, FEES_WAIVE, at=place)
        try:
            window = add_amnesty_window(
                uow.session,
                name=name,
                starts_on=first,
                ends_on=last,
                points=[get_point_by_code(uow.session, code) for code in codes],
                actor=actor.username,
            )
        except WenjinError as error:
            return redirect_with_message(AMNESTY_URL, "error", error.message(lang))
        text = t("amnesty.added", lang, name=window.name)
        uow.commit()
    return redirect_with_message(AMNESTY_URL, "ok", text)


@router.post("/fees/amnesty/{window_id}/end", name="staff_amnesty_end")
def amnesty_end(
    request: Request, actor: StaffActor, window_id: Annotated[int, Path(ge=1, le=2**31 - 1)]
) -> Response:
    lang = get_lang(request)
    with UnitOfWork(get_engine(request), actor=actor.username) as uow:
        require_staff(request, actor, FEES_WAIVE)
        try:
            window = get_amnesty_window(uow.session, window_id)
        except WenjinError as error:
            return redirect_with_message(AMNESTY_URL, "error", error.message(lang))
        for place in _window_places(uow.session, [p.code for p in window.points]):
            require_staff(request, actor, FEES_WAIVE, at=place)
        end_amnesty_window(uow.session, window_id=window_id)
        text = t("amnesty.ended", lang, name=window.name)
        uow.commit()
    return redirect_with_message(AMNESTY_URL, "ok", text)
