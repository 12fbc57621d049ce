"""``/api/v1/transits/…`` and a point's courier manifest: 调拨, over the same services and
queries as ``wenjin transit``. Listing transits and receiving them stay in
:mod:`wenjin.web.api.circulation` (the desk's ``wenjin circ``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.encoders import jsonable_encoder

from wenjin.accounts.queries import place_of
from wenjin.accounts.rules import CIRCULATION_READ, TRANSFERS_SEND, may
from wenjin.catalog.states import ItemStatus
from wenjin.patrons.queries import network_today
from wenjin.transfers.queries import Manifest, courier_manifest, transit_under_way
from wenjin.transfers.services import (
    TransferResult,
    cancel_transit,
    hand_to_courier,
    send_item,
    transit_lost,
)
from wenjin.web.api.deps import ActorDep, ReadSession, WriteUoW, require
from wenjin.web.api.schemas import (
    MAX_INT,
    DispatchRequest,
    TransferSend,
    TransitCancel,
    TransitLost,
)

router = APIRouter(tags=["transfers 调拨"])

TransitId = Annotated[int, Path(ge=1, le=MAX_INT, description="调拨编号 transit id")]
PointCode = Annotated[str, Path(min_length=1, max_length=32, description="服务点代码")]


def transfer_json(result: TransferResult) -> dict[str, Any]:
    """A transfer as ``wenjin transit … --json`` prints it."""
    return {
        "transit_id": result.transit_id,
        "item": result.barcode,
        "title": result.title,
        "status": result.status,
        "from": result.from_point,
        "to": result.to_point,
        "to_name": result.to_point_name,
        "item_status": result.item_status,
        "item_point": result.item_point,
    }


@router.post("/transits/send", status_code=201, summary="人工调拨 Send an item to another point")
def send(actor: ActorDep, body: TransferSend, uow: WriteUoW) -> dict[str, Any]:
    require(actor, TRANSFERS_SEND, at=place_of(uow.session, body.at))
    result = send_item(
        uow.session, at=body.at, barcode=body.item, to=body.to, note=body.note, actor=actor.username
    )
    uow.commit()
    title = result.title or result.barcode
    return {
        **transfer_json(result),
        "slip": f"《{title}》请放入送往 {result.to_point_name} 的周转箱",
        "slip_en": f"Put {title} in the transit box for {result.to_point_name} ({result.to_point})",
    }


@router.post(
    "/transits/{transit_id}/cancel",
    summary="取消调拨 Cancel a transit: the item goes back on the shelf where it is",
)
def cancel(
    actor: ActorDep, transit_id: TransitId, uow: WriteUoW, body: TransitCancel | None = None
) -> dict[str, Any]:
    why = body or TransitCancel()
    transit = transit_under_way(uow.session, transit_id)
    # Still in the box, it is cancelled at its origin; once sent, wherever it is now.
    where = why.at if why.at is not None else transit.from_point
    require(actor, TRANSFERS_SEND, at=place_of(uow.session, where))
    result = cancel_transit(
        uow.session, barcode=transit.barcode, at=why.at, reason=why.reason, actor=actor.username
    )
    uow.commit()
    return transfer_json(result)


@router.post(
    "/transits/{transit_id}/lost",
    summary="途中丢失 Record a transit lost on the way (the item is missing or lost)",
)
def lost(
    actor: ActorDep, transit_id: TransitId, uow: WriteUoW, body: TransitLost | None = None
) -> dict[str, Any]:
    what = body or TransitLost()
    transit = transit_under_way(uow.session, transit_id)
    # Either end of the journey may say the item never arrived.
    destination = place_of(uow.session, transit.to_point)
    if not may(actor, TRANSFERS_SEND, destination):
        require(actor, TRANSFERS_SEND, at=place_of(uow.session, transit.from_point))
    result = transit_lost(
        uow.session,
        barcode=transit.barcode,
        mark=ItemStatus(what.status.value),
        note=what.note,
        actor=actor.username,
    )
    uow.commit()
    return transfer_json(result)


def manifest_json(manifest: Manifest) -> dict[str, Any]:
    return {
        "point": manifest.point,
        "point_name": manifest.point_name,
        "date": manifest.day,
        "leaving": manifest.leaving,
        "legs": [
            {"next_stop": leg.next_stop, "next_stop_name": leg.next_stop_name, "items": leg.lines}
            for leg in manifest.legs
        ],
        "waiting": manifest.waiting,
        "no_route": manifest.no_route,
    }


@router.get(
    "/points/{code}/manifest",
    summary="物流交接单 What leaves a point on a day, per courier leg",
)
def manifest(
    actor: ActorDep,
    session: ReadSession,
    code: PointCode,
    day: Annotated[date | None, Query(alias="date", description="the day (default today)")] = None,
    route: Annotated[
        str | None, Query(min_length=1, max_length=32, description="only the leg to this stop")
    ] = None,
) -> dict[str, Any]:
    require(actor, CIRCULATION_READ, at=place_of(session, code))
    found = courier_manifest(session, at=code, day=day or network_today(), route=route)
    return jsonable_encoder(manifest_json(found))  # type: ignore[no-any-return]


@router.post(
    "/points/{code}/dispatch",
    summary="物流交接 The courier took today's boxes: the manifest's items are sent",
)
def dispatch(
    actor: ActorDep, code: PointCode, uow: WriteUoW, body: DispatchRequest | None = None
) -> dict[str, Any]:
    place = place_of(uow.session, code)
    require(actor, TRANSFERS_SEND, at=place)
    route = body.route if body else None
    sent = hand_to_courier(uow.session, at=code, route=route, actor=actor.username)
    uow.commit()
    return {
        "point": place.code,
        "sent": len(sent),
        "transit_ids": sent,
        "slip": f"已交物流 {len(sent)} 册",
        "slip_en": f"{len(sent)} items handed to the courier",
    }
