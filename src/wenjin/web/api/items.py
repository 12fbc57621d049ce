"""``/api/v1/items``: one copy by barcode, with its loan, transit and the holds on its title."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.encoders import jsonable_encoder
from sqlalchemy import select

from wenjin.accounts.rules import CIRCULATION_READ
from wenjin.catalog.queries import get_item_by_barcode, item_details
from wenjin.circulation.models import Transit
from wenjin.circulation.queries import current_loan
from wenjin.circulation.states import TransitStatus
from wenjin.holds.queries import list_holds
from wenjin.network.models import ServicePoint
from wenjin.web.api.deps import ActorDep, ReadSession, require
from wenjin.web.api.holds import hold_json

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
