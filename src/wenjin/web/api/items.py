"""``/api/v1/items``: one copy by barcode, with its loan, transit and the holds on its
title; adding, changing and withdrawing (注销) copies with ``catalog.write`` at the copy's
home point (and at the new one when it moves), through the same services as the staff
client."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.encoders import jsonable_encoder
from sqlalchemy import select
from sqlalchemy.orm import Session

from wenjin.accounts.queries import place_of_point
from wenjin.accounts.rules import CATALOG_WRITE, CIRCULATION_READ
from wenjin.catalog.errors import RecordNotFound
from wenjin.catalog.models import BibRecord
from wenjin.catalog.queries import get_item_by_barcode, item_details
from wenjin.catalog.services import (
    add_item,
    ensure_default_item_types,
    next_barcode,
    update_item,
)
from wenjin.circulation.models import Transit
from wenjin.circulation.queries import current_loan
from wenjin.circulation.states import TransitStatus
from wenjin.holds import services as holds
from wenjin.holds.queries import list_holds
from wenjin.network.models import ServicePoint
from wenjin.network.queries import get_point_by_code
from wenjin.web.api.deps import ActorDep, ReadSession, WriteUoW, require
from wenjin.web.api.holds import hold_json
from wenjin.web.api.schemas import ItemCreate, ItemUpdate, ItemWithdraw

router = APIRouter(prefix="/items", tags=["items 馆藏"])


@router.get(
    "/{barcode}", summary="单册 An item: status, current loan due date, transit, holds on the title"
)
def item(
    actor: ActorDep,
    session: ReadSession,
    barcode: Annotated[str, Path(min_length=1, max_length=32)],
) -> dict[str, Any]:
    require(actor, CIRCULATION_READ)
    details = item_details(session, barcode)
    the_item = get_item_by_barcode(session, barcode)
    loan = current_loan(session, the_item.id)
    transit = session.execute(
        select(Transit, ServicePoint.code)
        .join(ServicePoint, ServicePoint.id == Transit.to_point_id)
        .where(Transit.item_id == the_item.id, Transit.status == TransitStatus.IN_TRANSIT)
    ).first()
    body = jsonable_encoder(details)
    body["status_zh"] = details.status_label
    body["version"] = the_item.version
    body["loan"] = (
        None
        if loan is None
        else {
            "loan_id": loan.id,
            "status": loan.status,
            "due_on": loan.due_on,
            "renewals": loan.renewals,
        }
    )
    body["transit"] = (
        None
        if transit is None
        else {
            "transit_id": transit[0].id,
            "to": transit[1],
            "sent_at": transit[0].sent_at,
            "reason": transit[0].reason,
        }
    )
    body["holds"] = [hold_json(line) for line in list_holds(session, record_id=details.record_id)]
    return jsonable_encoder(body)


def copy_json(session: Session, barcode: str) -> dict[str, Any]:
    """A copy as the catalogue describes it, after a change."""
    details = item_details(session, barcode)
    the_item = get_item_by_barcode(session, barcode)
    body = jsonable_encoder(details)
    body["status_zh"] = details.status_label
    body["note"] = the_item.note
    body["version"] = the_item.version
    return body


@router.post("", status_code=201, summary="添加复本 Add a copy of a record at a point")
def add_copy(actor: ActorDep, body: ItemCreate, uow: WriteUoW) -> dict[str, Any]:
    session = uow.session
    point = get_point_by_code(session, body.point)
    require(actor, CATALOG_WRITE, at=place_of_point(session, point))
    record = session.get(BibRecord, body.record_id)
    if record is None:
        raise RecordNotFound(str(body.record_id))
    ensure_default_item_types(session)
    item = add_item(
        session,
        record=record,
        barcode=body.barcode.strip() if body.barcode else next_barcode(session),
        point=point,
        item_type=body.item_type,
        call_number=body.call_number or None,
        location=body.location or None,
        price_fen=body.price_fen,
        volume=body.volume or None,
        note=body.note or None,
        floating=body.floating,
        actor=actor.username,
    )
    barcode = item.barcode
    uow.commit()
    return copy_json(session, barcode)


@router.patch(
    "/{barcode}",
    summary="修改复本 Change a copy's description (home point not while on loan or in transit)",
)
def change_copy(
    actor: ActorDep,
    barcode: Annotated[str, Path(min_length=1, max_length=32)],
    body: ItemUpdate,
    uow: WriteUoW,
) -> dict[str, Any]:
    session = uow.session
    the_item = get_item_by_barcode(session, barcode)
    require(actor, CATALOG_WRITE, at=place_of_point(session, the_item.owning_point))
    new_home = get_point_by_code(session, body.point) if body.point else None
    if new_home is not None and new_home.id != the_item.owning_point_id:
        require(actor, CATALOG_WRITE, at=place_of_point(session, new_home))
    given = body.model_fields_set

    def text(name: str) -> str | None:
        if name not in given:
            return None
        value: str | None = getattr(body, name)
        return value or ""  # null clears

    update_item(
        session,
        item=the_item,
        actor=actor.username,
        call_number=text("call_number"),
        location=text("location"),
        volume=text("volume"),
        note=text("note"),
        item_type=body.item_type,
        price_fen=body.price_fen,
        clear_price="price_fen" in given and body.price_fen is None,
        floating=body.floating,
        owning_point=new_home,
        expected_version=body.version,
    )
    found = the_item.barcode
    uow.commit()
    return copy_json(session, found)


@router.post(
    "/{barcode}/withdraw",
    summary="注销复本 Withdraw a copy from the collection (on the shelf, missing, lost, damaged)",
)
def withdraw_copy(
    actor: ActorDep,
    barcode: Annotated[str, Path(min_length=1, max_length=32)],
    uow: WriteUoW,
    body: ItemWithdraw | None = None,
) -> dict[str, Any]:
    session = uow.session
    the_item = get_item_by_barcode(session, barcode)
    require(actor, CATALOG_WRITE, at=place_of_point(session, the_item.owning_point))
    holds.withdraw_copy(
        session, item=the_item, actor=actor.username, reason=body.reason if body else None
    )
    found = the_item.barcode
    uow.commit()
    return copy_json(session, found)
