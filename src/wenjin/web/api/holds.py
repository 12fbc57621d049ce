"""``/api/v1/holds`` and a point's pull list and hold shelf: 预约, over the same services and
queries as ``wenjin holds``. Each write names the acting account in the log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.encoders import jsonable_encoder
from sqlalchemy.orm import Session

from wenjin.accounts.queries import place_of, place_of_point
from wenjin.accounts.rules import (
    CIRCULATION_READ,
    HOLDS_MANAGE,
    HOLDS_PLACE,
    WHOLE_NETWORK,
    Actor,
)
from wenjin.holds.queries import (
    HoldLine,
    count_holds,
    explain_hold,
    hold_line,
    hold_shelf,
    list_holds,
    pull_list,
)
from wenjin.holds.services import (
    cancel_hold,
    change_pickup,
    expire_hold_shelf,
    place_hold,
    resume_hold,
    suspend_hold,
)
from wenjin.holds.states import ACTIVE_HOLD_STATUSES, HoldStatus
from wenjin.holds.targeting import target_all_waiting
from wenjin.network.queries import descendant_ids, get_point_by_code
from wenjin.patrons.queries import network_today
from wenjin.web.api.deps import ActorDep, PageDep, ReadSession, WriteUoW, require
from wenjin.web.api.schemas import (
    MAX_INT,
    ExpireRequest,
    HoldCancel,
    HoldChange,
    HoldPlace,
    HoldSuspend,
)

router = APIRouter(tags=["holds 预约"])

HoldId = Annotated[int, Path(ge=1, le=MAX_INT, description="预约编号 hold id")]
PointCode = Annotated[str, Path(min_length=1, max_length=32, description="服务点代码")]


def hold_json(line: HoldLine) -> dict[str, Any]:
    """A hold as ``wenjin holds … --json`` prints it."""
    return {
        "hold_id": line.id,
        "status": line.status,
        "status_zh": line.status_zh,
        "status_en": line.status.label_en,
        "patron": line.card_number,
        "patron_name": line.patron_name,
        "record_id": line.record_id,
        "title": line.title,
        "item": line.item_level_barcode,
        "pickup": line.pickup_code,
        "pickup_name": line.pickup_name,
        "placed_at": line.placed_at,
        "suspended_until": line.suspended_until,
        "targeted_item": line.targeted_barcode,
        "targeted_at_point": line.targeted_point_code,
        "expires_on": line.expires_on,
        "queue_position": line.queue_position,
    }


def _at_pickup(session: Session, actor: Actor, hold_id: int) -> HoldLine:
    """The hold, once the actor may handle holds at its pickup point."""
    line = hold_line(session, hold_id)
    require(actor, HOLDS_PLACE, at=place_of(session, line.pickup_code))
    return line


@router.post("/holds", status_code=201, summary="预约 Place a hold; a copy is chosen at once")
def place(actor: ActorDep, body: HoldPlace, uow: WriteUoW) -> dict[str, Any]:
    require(actor, HOLDS_PLACE, at=place_of(uow.session, body.pickup))
    placed = place_hold(
        uow.session,
        card_number=body.patron,
        pickup=body.pickup,
        record=body.record,
        barcode=body.item,
        actor=actor.username,
    )
    result = hold_json(hold_line(uow.session, placed.hold_id))
    uow.commit()
    return result


@router.get("/holds", summary="预约列表 Holds, oldest first, with queue positions")
def list_every_hold(
    actor: ActorDep,
    session: ReadSession,
    page: PageDep,
    patron: Annotated[
        str | None, Query(min_length=1, max_length=32, description="读者证号")
    ] = None,
    point: Annotated[
        str | None, Query(min_length=1, max_length=32, description="to pick up here or below")
    ] = None,
    record: Annotated[int | None, Query(ge=1, le=MAX_INT, description="书目 record id")] = None,
    status: Annotated[
        list[HoldStatus] | None, Query(description="these statuses (default: the active ones)")
    ] = None,
) -> dict[str, Any]:
    point_ids: set[int] | None = None
    if point is not None:
        the_point = get_point_by_code(session, point)
        require(actor, CIRCULATION_READ, at=place_of_point(session, the_point))
        point_ids = descendant_ids(session, the_point.id)
    else:
        require(actor, CIRCULATION_READ)
    filters: dict[str, Any] = {
        "card_number": patron,
        "record_id": record,
        "statuses": frozenset(status) if status else ACTIVE_HOLD_STATUSES,
        "pickup_point_ids": point_ids,
    }
    lines = list_holds(session, **filters, limit=page.per_page, offset=page.offset)
    return {
        "items": jsonable_encoder([hold_json(line) for line in lines]),
        "page": page.page,
        "per_page": page.per_page,
        "total": count_holds(session, **filters),
    }


@router.get("/holds/{hold_id}", summary="一条预约 One hold")
def show(actor: ActorDep, session: ReadSession, hold_id: HoldId) -> dict[str, Any]:
    require(actor, CIRCULATION_READ)
    return hold_json(hold_line(session, hold_id))


@router.post("/holds/{hold_id}/cancel", summary="取消预约 Cancel; a shelved copy moves on")
def cancel(
    actor: ActorDep, hold_id: HoldId, uow: WriteUoW, body: HoldCancel | None = None
) -> dict[str, Any]:
    _at_pickup(uow.session, actor, hold_id)
    why = body or HoldCancel()
    cancel_hold(
        uow.session, hold_id=hold_id, reason=why.reason, note=why.note, actor=actor.username
    )
    result = hold_json(hold_line(uow.session, hold_id))
    uow.commit()
    return result


@router.post("/holds/{hold_id}/suspend", summary="暂停预约 Keep the place, fetch nothing yet")
def suspend(actor: ActorDep, hold_id: HoldId, body: HoldSuspend, uow: WriteUoW) -> dict[str, Any]:
    _at_pickup(uow.session, actor, hold_id)
    suspend_hold(uow.session, hold_id=hold_id, until=body.until, actor=actor.username)
    result = hold_json(hold_line(uow.session, hold_id))
    uow.commit()
    return result


@router.post("/holds/{hold_id}/resume", summary="恢复预约 Lift a suspension now")
def resume(actor: ActorDep, hold_id: HoldId, uow: WriteUoW) -> dict[str, Any]:
    _at_pickup(uow.session, actor, hold_id)
    resume_hold(uow.session, hold_id=hold_id, actor=actor.username)
    result = hold_json(hold_line(uow.session, hold_id))
    uow.commit()
    return result


@router.patch("/holds/{hold_id}", summary="更改取书点 Move a waiting hold to another pickup point")
def change(actor: ActorDep, hold_id: HoldId, body: HoldChange, uow: WriteUoW) -> dict[str, Any]:
    _at_pickup(uow.session, actor, hold_id)
    require(actor, HOLDS_PLACE, at=place_of(uow.session, body.pickup))
    change_pickup(uow.session, hold_id=hold_id, pickup=body.pickup, actor=actor.username)
    result = hold_json(hold_line(uow.session, hold_id))
    uow.commit()
    return result


@router.get(
    "/holds/{hold_id}/explain",
    summary="解释 Every copy of the title: why it was rejected, or how it ranks",
)
def explain(actor: ActorDep, session: ReadSession, hold_id: HoldId) -> dict[str, Any]:
    require(actor, CIRCULATION_READ)
    explanation = explain_hold(session, hold_id=hold_id)
    return {
        "hold": jsonable_encoder(hold_json(explanation.hold)),
        "suspended": explanation.suspended,
        "summary": explanation.summary_zh,
        "summary_en": explanation.summary_en,
        "copies": jsonable_encoder(explanation.copies),
    }


def _reading_at(session: Session, actor: Actor, code: str) -> str:
    the_point = get_point_by_code(session, code)
    require(actor, CIRCULATION_READ, at=place_of_point(session, the_point))
    return the_point.code


@router.get(
    "/points/{code}/pull-list", summary="取书单 What to take off this point's shelves for holds"
)
def point_pull_list(actor: ActorDep, session: ReadSession, code: PointCode) -> dict[str, Any]:
    point = _reading_at(session, actor, code)
    return {
        "point": point,
        "date": network_today(),
        "lines": jsonable_encoder(pull_list(session, at=point)),
    }


@router.get("/points/{code}/hold-shelf", summary="预约架 The hold shelf, soonest to expire first")
def point_hold_shelf(
    actor: ActorDep,
    session: ReadSession,
    code: PointCode,
    expired: Annotated[bool, Query(description="only copies past their pickup date")] = False,
) -> dict[str, Any]:
    point = _reading_at(session, actor, code)
    lines = hold_shelf(session, at=point, expired_only=expired)
    return {"point": point, "lines": jsonable_encoder(lines)}


@router.post(
    "/holds/expire",
    summary="过期处理 Expire holds not picked up in time, across the network",
)
def expire(actor: ActorDep, uow: WriteUoW, body: ExpireRequest | None = None) -> dict[str, Any]:
    require(actor, HOLDS_MANAGE, at=WHOLE_NETWORK)
    today = (body.as_of if body else None) or network_today()
    expired = expire_hold_shelf(uow.session, today=today, actor=actor.username)
    uow.commit()
    return {
        "date": today,
        "expired": [
            {
                "hold_id": e.hold_id,
                "item": e.barcode,
                "title": e.title,
                "shelf": e.shelf_point_code,
                "expires_on": e.expires_on,
                "next_hold_id": e.next_hold_id,
                "slip": e.slip.zh,
                "slip_en": e.slip.en,
            }
            for e in expired
        ],
    }


@router.post("/holds/target", summary="分配副本 Choose the copy for every waiting hold")
def target_every_hold(actor: ActorDep, uow: WriteUoW) -> dict[str, Any]:
    require(actor, HOLDS_MANAGE, at=WHOLE_NETWORK)
    summary = target_all_waiting(uow.session)
    uow.commit()
    return jsonable_encoder(summary)  # type: ignore[no-any-return]
