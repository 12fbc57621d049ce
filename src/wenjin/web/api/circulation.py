"""``/api/v1/circulation``, ``/loans``, ``/transits``: the desk, over the same services as
``wenjin circ``. Each write names the acting account in the circulation log."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.encoders import jsonable_encoder
from sqlalchemy.orm import Session

from wenjin.accounts.queries import place_of, place_of_point
from wenjin.accounts.rules import CIRCULATION_LEND, CIRCULATION_READ, Actor, Place
from wenjin.circulation.lookups import desk_patron_by_card
from wenjin.circulation.queries import (
    count_events,
    current_loans,
    events,
    item_by_barcode,
    transits_expected,
    transits_to_send,
)
from wenjin.circulation.services import (
    CheckinResult,
    RenewResult,
    checkin,
    checkout,
    claim_returned,
    declare_lost,
    found,
    mark_damaged,
    mark_repaired,
    mark_transits_sent,
    receive_transit,
    renew,
    renew_all,
)
from wenjin.network.queries import descendant_ids, get_point_by_code
from wenjin.patrons.queries import network_today
from wenjin.web.api.deps import ActorDep, PageDep, ReadSession, WriteUoW, require
from wenjin.web.api.schemas import (
    CheckoutRequest,
    DamagedRequest,
    ItemAtPoint,
    PatronAtPoint,
    PointRequest,
)

router = APIRouter(tags=["circulation 流通"])

CodeQuery = Annotated[str | None, Query(min_length=1, max_length=32)]


def _lending_at(session: Session, actor: Actor, code: str) -> Place:
    place = place_of(session, code)
    require(actor, CIRCULATION_LEND, at=place)
    return place


def checkin_json(result: CheckinResult) -> dict[str, Any]:
    return {
        "outcome": result.outcome,
        "returned": result.returned,
        "loan_id": result.loan_id,
        "item": result.barcode,
        "title": result.title,
        "point": result.point_code,
        "due_on": result.due_on,
        "open_days_late": result.open_days_late,
        "fine_fen": result.fine_fen,
        "fine_waived_by_amnesty": result.fine_waived_by_amnesty,
        "destination": result.destination_code,
        "destination_name": result.destination_name,
        "in_transit": result.in_transit,
        "transit_id": result.transit_id,
        "floated": result.floated,
        "slip": result.slip.zh,
        "slip_en": result.slip.en,
    }


@router.post("/circulation/checkout", status_code=201, summary="借书 Lend an item")
def checkout_item(actor: ActorDep, body: CheckoutRequest, uow: WriteUoW) -> dict[str, Any]:
    _lending_at(uow.session, actor, body.point)
    result = checkout(
        uow.session, at=body.point, card_number=body.patron, barcode=body.item, actor=actor.username
    )
    uow.commit()
    title = result.title or result.barcode
    return {
        "loan_id": result.loan_id,
        "item": result.barcode,
        "title": result.title,
        "patron": result.card_number,
        "patron_name": result.patron_name,
        "due_on": result.due_on,
        "point": result.point_code,
        "rule_id": result.rule_id,
        "renewals_allowed": result.renewals_allowed,
        "slip": f"借出《{title}》，应还日期 {result.due_on.isoformat()}",
        "slip_en": f"Lent {title}, due {result.due_on.isoformat()}",
    }


@router.post("/circulation/checkin", summary="还书 Take an item back; says where it goes next")
def checkin_item(actor: ActorDep, body: ItemAtPoint, uow: WriteUoW) -> dict[str, Any]:
    _lending_at(uow.session, actor, body.point)
    result = checkin(uow.session, at=body.point, barcode=body.item, actor=actor.username)
    uow.commit()
    return checkin_json(result)


def renewal_json(result: RenewResult) -> dict[str, Any]:
    title = result.title or result.barcode
    return {
        "loan_id": result.loan_id,
        "item": result.barcode,
        "title": result.title,
        "due_on": result.due_on,
        "previous_due_on": result.previous_due_on,
        "renewals": result.renewals,
        "renewals_left": result.renewals_left,
        "slip": f"《{title}》已续借，应还日期 {result.due_on.isoformat()}",
        "slip_en": f"{title} renewed, due {result.due_on.isoformat()}",
    }


@router.post("/circulation/renew", summary="续借 Renew a loan")
def renew_loan(actor: ActorDep, body: ItemAtPoint, uow: WriteUoW) -> dict[str, Any]:
    _lending_at(uow.session, actor, body.point)
    result = renew(uow.session, at=body.point, barcode=body.item, actor=actor.username)
    uow.commit()
    return renewal_json(result)


@router.post(
    "/circulation/renew-all",
    summary="一键续借 Renew every loan of a reader; each refusal comes with its reason",
)
def renew_every_loan(actor: ActorDep, body: PatronAtPoint, uow: WriteUoW) -> dict[str, Any]:
    _lending_at(uow.session, actor, body.point)
    outcome = renew_all(uow.session, at=body.point, card_number=body.patron, actor=actor.username)
    uow.commit()
    return {
        "patron": outcome.card_number,
        "renewed": [renewal_json(result) for result in outcome.renewed],
        "refused": [
            {
                "item": refusal.barcode,
                "title": refusal.title,
                "due_on": refusal.due_on,
                "code": refusal.error.code,
                "message": refusal.error.message_zh,
                "message_en": refusal.error.message_en,
            }
            for refusal in outcome.refused
        ],
    }


@router.post("/circulation/lost", summary="读者报失 The reader lost the item")
def lost(actor: ActorDep, body: ItemAtPoint, uow: WriteUoW) -> dict[str, Any]:
    _lending_at(uow.session, actor, body.point)
    result = declare_lost(uow.session, barcode=body.item, at=body.point, actor=actor.username)
    uow.commit()
    return {
        "loan_id": result.loan_id,
        "item": result.barcode,
        "title": result.title,
        "charged_fen": result.charged_fen,
        "fee_id": result.fee_id,
        "slip": f"已报失，赔偿 {result.charged_fen / 100:.2f} 元",
        "slip_en": f"Declared lost; charged CNY {result.charged_fen / 100:.2f}",
    }


@router.post("/circulation/found", summary="找回 A lost or missing item turned up")
def found_item(actor: ActorDep, body: ItemAtPoint, uow: WriteUoW) -> dict[str, Any]:
    _lending_at(uow.session, actor, body.point)
    result = found(uow.session, barcode=body.item, at=body.point, actor=actor.username)
    uow.commit()
    return checkin_json(result)


@router.post("/circulation/damaged", summary="登记破损 Take a damaged item out of circulation")
def damaged(actor: ActorDep, body: DamagedRequest, uow: WriteUoW) -> dict[str, Any]:
    _lending_at(uow.session, actor, body.point)
    item = mark_damaged(
        uow.session, barcode=body.item, at=body.point, note=body.note, actor=actor.username
    )
    result = {"item": item.barcode, "status": item.status, "note": item.note}
    uow.commit()
    return {
        **result,
        "slip": "已登记破损，请送修",
        "slip_en": "Marked damaged; send it for repair",
    }


@router.post("/circulation/repaired", summary="登记修复 A damaged item is repaired")
def repaired(actor: ActorDep, body: ItemAtPoint, uow: WriteUoW) -> dict[str, Any]:
    _lending_at(uow.session, actor, body.point)
    result = mark_repaired(uow.session, barcode=body.item, at=body.point, actor=actor.username)
    uow.commit()
    return checkin_json(result)


@router.post("/circulation/claim-returned", summary="声称已还 The reader says it was returned")
def claimed_returned(actor: ActorDep, body: ItemAtPoint, uow: WriteUoW) -> dict[str, Any]:
    _lending_at(uow.session, actor, body.point)
    loan = claim_returned(uow.session, barcode=body.item, at=body.point, actor=actor.username)
    result = {"loan_id": loan.id, "item": body.item.strip(), "status": loan.status}
    uow.commit()
    return {
        **result,
        "slip": "已登记声称已还：查找期间不计逾期",
        "slip_en": "Claim recorded: no overdue fine while staff search",
    }


@router.get("/loans", summary="在借 Loans still out")
def list_loans(
    actor: ActorDep,
    session: ReadSession,
    page: PageDep,
    patron: Annotated[
        str | None, Query(min_length=1, max_length=32, description="读者证号")
    ] = None,
    point: Annotated[
        str | None, Query(min_length=1, max_length=32, description="lent at this point or below")
    ] = None,
    overdue: Annotated[bool, Query(description="only overdue loans")] = False,
) -> dict[str, Any]:
    point_ids: set[int] | None = None
    if point is not None:
        the_point = get_point_by_code(session, point)
        require(actor, CIRCULATION_READ, at=place_of_point(session, the_point))
        point_ids = descendant_ids(session, the_point.id)
    else:
        require(actor, CIRCULATION_READ)
    patron_id = desk_patron_by_card(session, patron).patron_id if patron else None
    lines, total = current_loans(
        session,
        today=network_today(),
        patron_id=patron_id,
        point_ids=point_ids,
        overdue_only=overdue,
        offset=page.offset,
        limit=page.per_page,
    )
    return {
        "items": jsonable_encoder(lines),
        "page": page.page,
        "per_page": page.per_page,
        "total": total,
    }


class Direction(StrEnum):
    OUTGOING = "outgoing"
    INCOMING = "incoming"


@router.get("/transits", summary="调拨清单 What to send from a point, what to expect there")
def list_transits(
    actor: ActorDep,
    session: ReadSession,
    page: PageDep,
    point: Annotated[str, Query(min_length=1, max_length=32)],
    direction: Direction = Direction.OUTGOING,
) -> dict[str, Any]:
    the_point = get_point_by_code(session, point)
    require(actor, CIRCULATION_READ, at=place_of_point(session, the_point))
    if direction is Direction.OUTGOING:
        lines = transits_to_send(session, the_point)
    else:
        lines = transits_expected(session, the_point)
    return {
        "point": the_point.code,
        "direction": direction,
        "items": jsonable_encoder(lines[page.offset : page.offset + page.per_page]),
        "page": page.page,
        "per_page": page.per_page,
        "total": len(lines),
    }


@router.post("/transits/receive", summary="调拨接收 Receive an item in transit")
def receive(actor: ActorDep, body: ItemAtPoint, uow: WriteUoW) -> dict[str, Any]:
    _lending_at(uow.session, actor, body.point)
    result = receive_transit(uow.session, at=body.point, barcode=body.item, actor=actor.username)
    uow.commit()
    return checkin_json(result)


@router.post("/transits/sent", summary="已发出 The courier took this point's transit box")
def sent(actor: ActorDep, body: PointRequest, uow: WriteUoW) -> dict[str, Any]:
    place = _lending_at(uow.session, actor, body.point)
    count = mark_transits_sent(uow.session, at=body.point, actor=actor.username)
    uow.commit()
    return {
        "point": place.code,
        "sent": count,
        "slip": f"已交物流 {count} 册",
        "slip_en": f"{count} items handed to the courier",
    }


@router.get("/circulation/log", summary="流通日志 The append-only circulation log, newest first")
def log(
    actor: ActorDep,
    session: ReadSession,
    page: PageDep,
    item: CodeQuery = None,
    patron: CodeQuery = None,
    point: CodeQuery = None,
) -> dict[str, Any]:
    point_id: int | None = None
    if point is not None:
        the_point = get_point_by_code(session, point)
        require(actor, CIRCULATION_READ, at=place_of_point(session, the_point))
        point_id = the_point.id
    else:
        require(actor, CIRCULATION_READ)
    item_id = item_by_barcode(session, item).id if item else None
    patron_id = desk_patron_by_card(session, patron).patron_id if patron else None
    filters = {"item_id": item_id, "patron_id": patron_id, "point_id": point_id}
    lines = events(session, **filters, limit=page.per_page, offset=page.offset)
    return {
        "items": jsonable_encoder(lines),
        "page": page.page,
        "per_page": page.per_page,
        "total": count_events(session, **filters),
    }
