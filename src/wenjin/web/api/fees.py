"""``/api/v1/fees``: what a reader owes, payments with receipts, waivers, takings, amnesty days."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.encoders import jsonable_encoder

from wenjin.accounts.queries import place_of, place_of_point
from wenjin.accounts.rules import FEES_COLLECT, FEES_READ, FEES_WAIVE, WHOLE_NETWORK
from wenjin.catalog.queries import get_item_by_barcode
from wenjin.fees.models import AmnestyWindow
from wenjin.fees.queries import (
    amnesty_effects,
    daily_takings,
    fee_account,
    fee_line,
    fee_lines,
    get_amnesty_window,
    get_fee,
    list_amnesty_windows,
    outstanding_fen,
)
from wenjin.fees.services import (
    add_amnesty_window,
    cancel_fee,
    charge_fee,
    end_amnesty_window,
    pay_fees,
    waive_fee,
)
from wenjin.network.queries import descendant_ids, get_point_by_code
from wenjin.patrons.queries import get_patron_by_card, network_today
from wenjin.web.api.deps import ActorDep, PageDep, ReadSession, WriteUoW, require
from wenjin.web.api.schemas import (
    MAX_INT,
    AmnestyCreate,
    CancelRequest,
    ChargeRequest,
    PayRequest,
    WaiveRequest,
)

router = APIRouter(prefix="/fees", tags=["fees 费用"])

FeeId = Annotated[int, Path(ge=1, le=MAX_INT, description="费用编号 fee id")]


def _window_json(window: AmnestyWindow, fines: int, waived_fen: int) -> dict[str, Any]:
    return {
        "id": window.id,
        "name": window.name,
        "starts_on": window.starts_on,
        "ends_on": window.ends_on,
        "active": window.active,
        "points": [p.code for p in window.points],
        "whole_network": not window.points,
        "created_by": window.created_by,
        "fines_waived": fines,
        "waived_fen": waived_fen,
    }


@router.get("/patron/{card}", summary="查询欠款 A reader's fees and latest payments")
def patron_fees(
    actor: ActorDep,
    session: ReadSession,
    card: Annotated[str, Path(min_length=1, max_length=32)],
    all_fees: Annotated[bool, Query(alias="all", description="settled fees too")] = False,
) -> dict[str, Any]:
    require(actor, FEES_READ)
    found = get_patron_by_card(session, card)
    account = fee_account(session, found.patron.id, open_only=not all_fees)
    return {
        "patron": {"card": found.card.number, "name": found.patron.name},
        **jsonable_encoder(account),
    }


@router.post("/pay", status_code=201, summary="缴费 Take a payment; oldest fees first")
def pay(actor: ActorDep, body: PayRequest, uow: WriteUoW) -> dict[str, Any]:
    session = uow.session
    point = get_point_by_code(session, body.point)
    require(actor, FEES_COLLECT, at=place_of_point(session, point))
    found = get_patron_by_card(session, body.patron)
    payment = pay_fees(
        session,
        patron=found.patron,
        amount_fen=body.amount_fen,
        method=body.method,
        point=point,
        actor=actor.username,
    )
    lines = {line.fee_id: line for line in fee_lines(session, found.patron.id)}
    result = {
        "receipt_number": payment.receipt_number,
        "patron": {"card": found.card.number, "name": found.patron.name},
        "amount_fen": payment.amount_fen,
        "method": payment.method,
        "point": point.code,
        "at": payment.at,
        "allocations": [
            {
                "fee_id": a.fee_id,
                "kind": lines[a.fee_id].kind,
                "amount_fen": a.amount_fen,
                "balance_fen": lines[a.fee_id].balance_fen,
                "status": lines[a.fee_id].status,
            }
            for a in payment.allocations
        ],
        "outstanding_fen": outstanding_fen(session, found.patron.id),
    }
    uow.commit()
    return jsonable_encoder(result)


@router.post("/{fee_id}/waive", summary="减免 Waive a fee (or part of it) with a reason")
def waive(actor: ActorDep, fee_id: FeeId, body: WaiveRequest, uow: WriteUoW) -> dict[str, Any]:
    session = uow.session
    point = get_point_by_code(session, body.point) if body.point else None
    require(actor, FEES_WAIVE, at=place_of_point(session, point) if point else None)
    fee = get_fee(session, fee_id)
    waiver = waive_fee(
        session,
        fee=fee,
        reason=body.reason,
        actor=actor.username,
        amount_fen=body.amount_fen,
        point=point,
    )
    result = {
        "waiver_id": waiver.id,
        "amount_fen": waiver.amount_fen,
        "reason": waiver.reason,
        "fee": fee_line(session, fee_id),
        "outstanding_fen": outstanding_fen(session, fee.patron_id),
    }
    uow.commit()
    return jsonable_encoder(result)


@router.post("/{fee_id}/cancel", summary="撤销 Cancel a charge made in error; refund what was paid")
def cancel(actor: ActorDep, fee_id: FeeId, body: CancelRequest, uow: WriteUoW) -> dict[str, Any]:
    session = uow.session
    point = get_point_by_code(session, body.point)
    require(actor, FEES_WAIVE, at=place_of_point(session, point))
    refund = cancel_fee(
        session,
        fee=fee_id,
        reason=body.reason,
        point=point,
        actor=actor.username,
        method=body.method,
    )
    result = {
        "action": "refunded" if refund else "cancelled",
        "fee": fee_line(session, fee_id),
        "refund": None
        if refund is None
        else {
            "receipt_number": refund.receipt_number,
            "amount_fen": refund.amount_fen,
            "method": refund.method,
        },
    }
    uow.commit()
    return jsonable_encoder(result)


@router.get("/takings", summary="收费日报 Money taken per point and method on a day")
def takings(
    actor: ActorDep,
    session: ReadSession,
    point: Annotated[str | None, Query(min_length=1, max_length=32)] = None,
    day: date | None = None,
    subtree: bool = True,
) -> dict[str, Any]:
    point_ids: set[int] | None = None
    if point is not None:
        the_point = get_point_by_code(session, point)
        require(actor, FEES_READ, at=place_of_point(session, the_point))
        point_ids = descendant_ids(session, the_point.id) if subtree else {the_point.id}
    else:
        require(actor, FEES_READ, at=WHOLE_NETWORK)
    the_day = day or network_today()
    rows = daily_takings(session, day=the_day, point_ids=point_ids)
    return {
        "day": the_day,
        "points": jsonable_encoder(rows),
        "total": {
            "taken_fen": sum(r.taken_fen for r in rows),
            "refunded_fen": sum(r.refunded_fen for r in rows),
            "net_fen": sum(r.net_fen for r in rows),
        },
    }


@router.get("/amnesty", summary="特别还书日 Amnesty windows, latest first")
def amnesty_list(
    actor: ActorDep, session: ReadSession, page: PageDep, active: bool = False
) -> dict[str, Any]:
    require(actor, FEES_READ)
    windows = list_amnesty_windows(session, active_only=active)
    shown = windows[page.offset : page.offset + page.per_page]
    effects = amnesty_effects(session, [w.id for w in shown])
    return jsonable_encoder(
        {
            "items": [
                _window_json(w, effects[w.id].fines, effects[w.id].waived_fen) for w in shown
            ],
            "page": page.page,
            "per_page": page.per_page,
            "total": len(windows),
        }
    )


@router.post("/amnesty", status_code=201, summary="设立特别还书日 Waive fines for returns")
def amnesty_add(actor: ActorDep, body: AmnestyCreate, uow: WriteUoW) -> dict[str, Any]:
    session = uow.session
    places = [place_of(session, code) for code in body.points]
    for place in places or [WHOLE_NETWORK]:
        require(actor, FEES_WAIVE, at=place)
    points = [get_point_by_code(session, code) for code in body.points]
    window = add_amnesty_window(
        session,
        name=body.name,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        points=points,
        actor=actor.username,
    )
    result = _window_json(window, 0, 0)
    uow.commit()
    return jsonable_encoder(result)


@router.post(
    "/charge", status_code=201, summary="收费 Charge a damaged item, a new card or another fee"
)
def charge(actor: ActorDep, body: ChargeRequest, uow: WriteUoW) -> dict[str, Any]:
    session = uow.session
    point = get_point_by_code(session, body.point)
    require(actor, FEES_COLLECT, at=place_of_point(session, point))
    patron = get_patron_by_card(session, body.patron).patron
    fee = charge_fee(
        session,
        patron=patron,
        kind=body.kind.value,
        amount_fen=body.amount_fen,
        point=point,
        actor=actor.username,
        item_id=get_item_by_barcode(session, body.item).id if body.item else None,
        note=body.note,
    )
    result = {
        "action": "charged",
        "fee": fee_line(session, fee.id),
        "outstanding_fen": outstanding_fen(session, patron.id),
    }
    uow.commit()
    return jsonable_encoder(result)


WindowId = Annotated[int, Path(ge=1, le=MAX_INT, description="编号 amnesty window id")]


@router.post("/amnesty/{window_id}/end", summary="撤销特别还书日 End an amnesty window")
def amnesty_end(actor: ActorDep, window_id: WindowId, uow: WriteUoW) -> dict[str, Any]:
    session = uow.session
    window = get_amnesty_window(session, window_id)
    places = [place_of(session, p.code) for p in window.points]
    for place in places or [WHOLE_NETWORK]:
        require(actor, FEES_WAIVE, at=place)
    end_amnesty_window(session, window_id=window_id)
    effects = amnesty_effects(session, [window.id])[window.id]
    result = _window_json(window, effects.fines, effects.waived_fen)
    uow.commit()
    return jsonable_encoder({"action": "ended", "window": result})
